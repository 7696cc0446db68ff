using RigNotebooks.Bandwidth;
using RigNotebooks.Doctor;
using RigNotebooks.Experiments;
using RigNotebooks.Results;
using RigNotebooks.Rigs;
using RigNotebooks.Tests.TestSupport;

namespace RigNotebooks.Tests.Experiments;

public class FoundingStoryTests
{
    [Fact]
    public async Task The_story_runs_every_chapter_in_order_and_each_shows_what_the_write_up_saw()
    {
        using var temp = new TempFolder();
        var chapters = new List<StoryProgress>();

        var story = await FoundingStory.RunAsync(new RunStore(temp.Path), new StoryOptions(Suite: ExperimentTests.Fast), new Collect(chapters));

        Assert.Equal(Enumerable.Range(1, FoundingStory.Chapters), chapters.Select(c => c.Chapter));
        Assert.Empty(story.Skipped);
        Assert.Equal(10, story.Runs.Count);
        Assert.Equal(10, new RunStore(temp.Path).List().Count);

        // 545: the watchdog caught hung copies and a hung all-reduce; training hangs with P2P on and runs with it off.
        Assert.Equal("sim:blog-3x3090-driver545", story.Failing.Run.Record.Rig.RigId);
        Assert.Contains(story.Failing.Run.Rows, r => r.Experiment == "bandwidth" && r.Status == RowStatus.Hung);
        Assert.Contains(story.Failing.Run.Rows, r => r.Experiment == "allreduce" && r.Status == RowStatus.Hung);
        Assert.All(story.FailingScaling.Run.Rows.Where(r => r.Parameter("p2p") == "on" && r.Parameter("gpus") != "1"), r => Assert.Equal(RowStatus.Hung, r.Status));
        Assert.Contains(story.FailingScaling.Run.Rows, r => r is { Metric: "tokens_per_s", Status: RowStatus.Ok } && r.Parameter("p2p") == "off" && r.Parameter("gpus") == "3");

        // IOMMU: nothing hangs, the data check finds corrupt bytes.
        Assert.DoesNotContain(story.Iommu.Run.Rows, r => r.Status == RowStatus.Hung);
        Assert.Contains(story.Iommu.Findings, f => f.Code == BandwidthFindings.CorruptCode);

        // The fix: no error, and no peer or collective problem.
        Assert.DoesNotContain(story.Fixed.Findings, f => f.Severity == Severity.Error);
        Assert.DoesNotContain(story.Fixed.Run.Rows, r => r.Status is RowStatus.Hung or RowStatus.Wrong or RowStatus.Failed);

        // 3 GPUs with P2P scale close to 3×, better than with P2P off.
        var efficiency = story.Scaling!.Run.Rows.Where(r => r.Metric == "efficiency" && r.Parameter("gpus") == "3").ToDictionary(r => r.Parameter("p2p")!, r => r.Value);
        Assert.True(efficiency["on"] > 90, $"{efficiency["on"]} %");
        Assert.True(efficiency["on"] > efficiency["off"]);
        // The sweep lands where the write-up did, for its reasons; ten minutes at that cap put the hottest VRAM at 104 °C.
        Assert.Equal(285, story.PowerSweep!.Report.Recommendation!.CapW);
        Assert.Contains(story.PowerSweep.Findings, f => f.Code == "psu-headroom-by-cap" && f.Evidence.Contains("285 W caps: 180 W", StringComparison.Ordinal));
        var vram = Assert.Single(story.Thermals!.Findings, f => f.Code == "vram-near-throttle");
        Assert.Equal("GPU 2 VRAM reached 104 °C, 6 °C from its 110 °C throttle point", vram.Title);
        Assert.True(story.Thermals.Report.Window.Gpus.Max(g => g.PeakCoreTempC) <= 70.5, "the write-up's cores never went above 70 °C");

        // The cost takes its load from those ten minutes.
        Assert.Equal(story.Thermals.RunId, story.Cost!.Run.Record.Spec["energyRun"]!.GetValue<string>());
        Assert.Contains(story.Cost.Run.Rows, r => r is { Case: "rent", Metric: "eur_per_million_tokens" });
        Assert.Equal(temp.Path, story.ResultsFolder);
    }

    [Fact]
    public async Task On_a_rig_that_is_not_a_profile_the_simulated_chapters_are_skipped_with_the_reason()
    {
        const string kind = "story-test-measured";
        RigSelector.Register(kind, _ => new ExperimentTests.MeasuredLooking(TestRigs.Sim("blog-3x3090")));
        using var temp = new TempFolder();

        var story = await FoundingStory.RunAsync(new RunStore(temp.Path), new StoryOptions(kind, Suite: ExperimentTests.Fast));

        Assert.Null(story.Scaling);
        Assert.Null(story.PowerSweep);
        Assert.Null(story.Thermals);
        Assert.Null(story.Cost);
        Assert.Contains("sudo rig power sweep", story.Skipped["power"], StringComparison.Ordinal);
        Assert.Contains("rig train --cmd", story.Skipped["scaling"], StringComparison.Ordinal);
        Assert.Contains("sim:", story.Skipped["cost"], StringComparison.Ordinal);
        // The failing states are profiles: they still run, simulated.
        Assert.Equal(Model.DataSource.Simulated, story.Failing.Run.Record.Source);
        Assert.Equal(Model.DataSource.Measured, story.Fixed.Run.Record.Source);
    }

    private sealed class Collect(List<StoryProgress> into) : IProgress<StoryProgress>
    {
        public void Report(StoryProgress value) => into.Add(value);
    }
}
