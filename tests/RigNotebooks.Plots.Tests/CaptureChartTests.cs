using RigNotebooks.Results;

namespace RigNotebooks.Plots.Tests;

/// <summary>Charts drawn from real captured runs (data/captures/h200-2026-11-27): measured data, labelled as such.</summary>
public sealed class CaptureChartTests
{
    private static LoadedRun CapturedRun(string experiment)
    {
        var results = Path.Combine(RepoRoot.Path, "data", "captures", "h200-2026-11-27", "results");
        return RunStore.LoadFolder(Directory.EnumerateDirectories(results).Single(d => Path.GetFileName(d).Contains($"-{experiment}-local-", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_real_burn_telemetry_draws_a_timeline_that_is_not_labelled_simulated()
    {
        var fig = new FigureJson(Charts.Timeline(ChartData.From(CapturedRun("monitor"))));
        Assert.DoesNotContain("SIMULATED", fig.Title, StringComparison.Ordinal);
        var power = fig.Trace("GPU 0 power");
        Assert.Contains(FigureJson.Numbers(power.GetProperty("y")), p => p > 250);
        Assert.Contains("Power (W)", fig.AxisTitles);
    }
}
