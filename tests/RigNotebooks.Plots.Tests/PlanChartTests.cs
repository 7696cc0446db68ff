using RigNotebooks.Results;

namespace RigNotebooks.Plots.Tests;

public class PlanChartTests
{
    [Fact]
    public void Plan_draws_one_bar_per_rig_per_metric_in_the_runs_order_and_marks_an_unknown_figure()
    {
        List<ResultRow> rows =
        [
            Rows.Ok("plan", "sim:blog-3x3090", "tokens_per_s", 118000, "tokens/s", parameters: ("model", "gpt-100m")),
            Rows.Ok("plan", "sim:blog-3x3090", "power_total", 1105, "W"),
            Rows.Ok("plan", "sim:bifurcated-4x4", "tokens_per_s", 70000, "tokens/s", parameters: ("model", "gpt-100m")),
            Rows.Not(RowStatus.Waived, "plan", "sim:bifurcated-4x4", "power_total", "W", "unknown: no PSU in the profile"),
        ];

        var fig = new FigureJson(Charts.Plan(ChartData.FromRows(rows, "sim:blog-3x3090"), ["tokens_per_s", "power_total"]));

        var bars = fig.Traces.ToList();
        Assert.Equal(2, bars.Count);
        Assert.All(bars, b => Assert.Equal(["sim:blog-3x3090", "sim:bifurcated-4x4"], b.GetProperty("x").EnumerateArray().Select(x => x.GetString())));
        Assert.Equal([118000, 70000], FigureJson.Numbers(bars[0].GetProperty("y")));
        Assert.Equal([1105, null], FigureJson.Numbers(bars[1].GetProperty("y")));
        Assert.Contains("unknown", fig.AnnotationTexts);
        Assert.Contains("Training throughput (tokens/s)", fig.AxisTitles);
        Assert.Contains("Power at load, whole rig (W)", fig.AxisTitles);
        Assert.Contains("SIMULATED DATA", fig.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_without_plan_rows_says_so()
    {
        var fig = new FigureJson(Charts.Plan(ChartData.FromRows(Rows.Scaling())));
        Assert.Contains(fig.AnnotationTexts, t => t.Contains("no plan rows", StringComparison.Ordinal));
    }
}
