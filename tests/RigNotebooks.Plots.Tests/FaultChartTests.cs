using RigNotebooks.Bandwidth;
using RigNotebooks.Bandwidth.Execution;
using RigNotebooks.Experiments;
using RigNotebooks.Results;
using RigNotebooks.Rigs;

namespace RigNotebooks.Plots.Tests;

/// <summary>The bandwidth matrices drawn from what the simulated fault profiles really write: the driver-545 rig hangs
/// on the first peer copy (the data check), the IOMMU rig copies fast enough but wrong. Both must be visible in the
/// P2P-on panels, not only in the findings table.</summary>
public sealed class FaultChartTests
{
    private static readonly SuiteRunOptions InProcess = new(WorkerMode.InProcess, DeadlineSeconds: 0.5);

    [Fact]
    public async Task The_driver_545_hang_marks_its_pair_and_the_copies_skipped_after_it()
    {
        var fig = await Matrices("blog-3x3090-driver545");

        Assert.Contains("<b>HUNG</b>", fig.AnnotationTexts);
        Assert.Contains("not run", fig.AnnotationTexts);
        Assert.Contains("'not run' = skipped after a hang", fig.Title, StringComparison.Ordinal);
        Assert.DoesNotContain("red = ;", fig.Title + ";", StringComparison.Ordinal);
        Assert.False(fig.Title.TrimEnd().EndsWith('='), fig.Title);
    }

    [Fact]
    public async Task The_iommu_rig_shows_its_slow_peer_copies_as_wrong_data_with_their_speed()
    {
        var fig = await Matrices("blog-3x3090-iommu");

        var wrong = fig.AnnotationTexts.Where(t => t.StartsWith("<b>WRONG DATA</b><br>", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(wrong);
        Assert.Contains("red = wrong data", fig.Title, StringComparison.Ordinal);
        // P2P off is staged through the host and checks out: nothing in its panels is marked.
        var uniOff = fig.Trace("Unidirectional bandwidth — P2P off");
        Assert.All(uniOff.GetProperty("z").EnumerateArray().SelectMany(FigureJson.Numbers).Where(v => v is not null), v => Assert.True(v > 3, $"{v}"));
    }

    [Fact]
    public async Task The_fixed_rig_marks_nothing()
    {
        var fig = await Matrices("blog-3x3090");

        Assert.DoesNotContain(fig.AnnotationTexts, t => t.Contains("HUNG", StringComparison.Ordinal) || t.Contains("WRONG", StringComparison.Ordinal) || t == "not run");
        Assert.DoesNotContain("red =", fig.Title, StringComparison.Ordinal);
    }

    private static async Task<FigureJson> Matrices(string profile)
    {
        using var dir = new TempFolder("rig-fault-chart-");
        using var rig = RigSelector.Open($"sim:{profile}");
        var spec = new BandwidthSpec { BufferBytes = 64L << 20, Cases = ["peer_correctness", "peer_unidirectional", "peer_latency"] };
        var result = await Experiment.BandwidthAsync(new RunStore(dir.Path), rig, spec, options: InProcess);
        return new FigureJson(Charts.BandwidthMatrices(result.Run));
    }
}
