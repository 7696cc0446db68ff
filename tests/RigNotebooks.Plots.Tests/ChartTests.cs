using System.Text.Json;
using RigNotebooks.Model;
using RigNotebooks.Results;

namespace RigNotebooks.Plots.Tests;

public class ChartTests
{
    [Fact]
    public void Scaling_draws_both_p2p_settings_the_ideal_line_and_marks_a_hung_point()
    {
        var fig = new FigureJson(Charts.Scaling(ChartData.FromRows(Rows.Scaling(hungAtThree: true), "sim:blog-3x3090-driver545")));

        var on = fig.Traces.First(t => t.GetProperty("name").GetString() == "P2P on");
        Assert.Equal(["1", "2", "3"], on.GetProperty("x").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal([10000, 19000, null], FigureJson.Numbers(on.GetProperty("y")));
        var ideal = fig.Traces.First(t => t.GetProperty("name").GetString()!.StartsWith("ideal", StringComparison.Ordinal));
        Assert.Equal([10000, 20000, 30000], FigureJson.Numbers(ideal.GetProperty("y")));
        Assert.Contains(fig.AnnotationTexts, t => t.Contains("HUNG", StringComparison.Ordinal) && t.Contains("hung after 60 s", StringComparison.Ordinal));
        Assert.Contains("Throughput (tokens/s)", fig.AxisTitles);
        Assert.Contains("Efficiency (% of ideal)", fig.AxisTitles);
        // Efficiency is computed from tokens/s when no efficiency rows exist: 16000 / (2 × 10000) = 80 %.
        var effOff = fig.Traces.Where(t => t.GetProperty("name").GetString() == "P2P off").Last();
        Assert.Equal(80, FigureJson.Numbers(effOff.GetProperty("y"))[1]!.Value, 6);
    }

    [Fact]
    public void Simulated_data_is_labelled_on_the_chart_and_measured_data_is_not()
    {
        var simulated = new FigureJson(Charts.Scaling(ChartData.FromRows(Rows.Scaling(), "sim:blog-3x3090")));
        Assert.Contains("SIMULATED DATA", simulated.Title, StringComparison.Ordinal);
        Assert.Contains("sim:blog-3x3090", simulated.Title, StringComparison.Ordinal);

        var measuredRows = Rows.Scaling().Select(r => r with { Source = DataSource.Measured }).ToList();
        var measured = new FigureJson(Charts.Scaling(ChartData.FromRows(measuredRows, "local")));
        Assert.DoesNotContain("SIMULATED", measured.Title, StringComparison.Ordinal);
        Assert.Contains("measured on local", measured.Title, StringComparison.Ordinal);

        var mixed = new FigureJson(Charts.Scaling(ChartData.FromRows(measuredRows.Concat(Rows.Scaling().Take(1)))));
        Assert.Contains("MIXED: SIMULATED + MEASURED", mixed.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Power_sweep_marks_the_recommended_cap_on_every_panel_and_derives_energy()
    {
        var fig = new FigureJson(Charts.PowerSweep(ChartData.FromRows(Rows.PowerSweep(), "sim:blog-3x3090", new Dictionary<string, string> { ["recommendedCapW"] = "285" })));

        var lines = fig.Shapes.Where(s => s.GetProperty("type").GetString() == "line").ToList();
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => Assert.Equal(285, l.GetProperty("x0").GetDouble()));
        Assert.Contains(fig.AnnotationTexts, t => t.Contains("recommended cap: 285 W", StringComparison.Ordinal));
        Assert.Contains("Power cap per GPU (W)", fig.AxisTitles);
        Assert.Contains("Energy (J per units)", fig.AxisTitles);
        Assert.Equal(3, fig.Traces.Count(t => t.GetProperty("name").GetString()!.StartsWith("GPU ", StringComparison.Ordinal)));
        Assert.Equal([200, 250, 285, 350], FigureJson.Numbers(fig.Trace("throughput").GetProperty("x")));
    }

    [Fact]
    public void Timeline_shades_throttled_spans_and_draws_the_110_C_vram_line()
    {
        var fig = new FigureJson(Charts.Timeline(ChartData.FromRows(Rows.Telemetry(), "sim:blog-3x3090")));

        // GPU 2 reports a thermal slowdown (0x20) from t = 42 s to the end: one span, shaded on all three panels.
        var spans = Charts.ThrottledSpans(Rows.Telemetry());
        Assert.Equal([(42.0, 60.0)], spans);
        Assert.Equal(3, fig.Shapes.Count(s => s.GetProperty("type").GetString() == "rect"));
        Assert.Contains(fig.Shapes, s => s.GetProperty("type").GetString() == "line" && s.GetProperty("y0").GetDouble() == 110);
        Assert.Contains("Temperature (°C)", fig.AxisTitles);
        Assert.Contains("Clock (MHz)", fig.AxisTitles);
        Assert.Contains("Power (W)", fig.AxisTitles);
        Assert.Equal("dash", fig.Trace("GPU 1 VRAM").GetProperty("line").GetProperty("dash").GetString());
    }

    [Fact]
    public void Bandwidth_matrices_leave_waived_cells_blank_and_mark_hung_cells()
    {
        var fig = new FigureJson(Charts.BandwidthMatrices(ChartData.FromRows(Rows.Bandwidth(), "sim:blog-3x3090")));

        var uniOn = fig.Trace("Unidirectional bandwidth — P2P on");
        var z = uniOn.GetProperty("z").EnumerateArray().Select(FigureJson.Numbers).ToList();
        Assert.Null(z[0][2]); // hung: no value
        Assert.Null(z[1][2]); // waived: blank
        Assert.Null(z[0][0]); // diagonal
        Assert.Equal(11.5, z[0][1]); // the largest size is shown, not the 1 MiB point
        Assert.Contains(fig.AnnotationTexts, t => t == "<b>HUNG</b>");
        Assert.DoesNotContain(fig.AnnotationTexts, t => t.Contains("WAIVED", StringComparison.Ordinal));
        Assert.Equal(6, fig.Traces.Count(t => t.GetProperty("type").GetString() == "heatmap"));
        // P2P on and off share a colour scale per metric, so the two matrices compare at a glance.
        Assert.Equal(fig.Trace("Latency — P2P on").GetProperty("zmax").GetDouble(), fig.Trace("Latency — P2P off").GetProperty("zmax").GetDouble());
    }

    [Fact]
    public void All_reduce_uses_a_log_size_axis_and_marks_wrong_results()
    {
        var fig = new FigureJson(Charts.AllReduce(ChartData.FromRows(Rows.AllReduce(), "sim:blog-3x3090")));

        Assert.Equal("log", fig.Layout.GetProperty("xaxis").GetProperty("type").GetString());
        Assert.Contains("Bus bandwidth (GB/s)", fig.AxisTitles);
        var bad = fig.Trace("data check failed / hung");
        Assert.Equal([(double)(1L << 28)], FigureJson.Numbers(bad.GetProperty("x")).Select(v => v!.Value));
        Assert.Equal("WRONG", bad.GetProperty("text")[0].GetString());
    }

    [Fact]
    public void Cost_breakdown_splits_owning_by_its_electricity_share_and_states_each_offers_break_even()
    {
        var fig = new FigureJson(Charts.CostBreakdown(ChartData.FromRows(Rows.Cost(), "sim:blog-3x3090")));

        Assert.Equal("stack", fig.Layout.GetProperty("barmode").GetString());
        Assert.Equal(["own", "rent: cloud-a-3090", "rent: cloud-b-a100"], fig.Traces.First().GetProperty("x").EnumerateArray().Select(x => x.GetString()));
        // 0.20 of 0.50 EUR per hour is electricity: 40 % of 2.00 EUR per million tokens.
        Assert.Equal(0.8, FigureJson.Numbers(fig.Trace("electricity").GetProperty("y"))[0]!.Value, 9);
        Assert.Equal(1.2, FigureJson.Numbers(fig.Trace("hardware and the rest").GetProperty("y"))[0]!.Value, 9);
        Assert.Equal([null, 4.5, 3.1], FigureJson.Numbers(fig.Trace("rental").GetProperty("y")));
        Assert.Contains("€4.50<br>owning breaks even after 14.2 months", fig.AnnotationTexts);
        Assert.Contains("€3.10", fig.AnnotationTexts);
        Assert.Contains("Cost (EUR per million tokens)", fig.AxisTitles);
    }

    [Fact]
    public void Compare_runs_draws_one_bar_series_per_run_named_with_its_source()
    {
        using var dir = new TempFolder("rig-plots-");
        var store = new RunStore(dir.Path);
        var rig = Rigs.RigSelector.Open("sim:blog-3x3090").Describe();
        var runs = new List<LoadedRun>();
        foreach (var factor in new[] { 1.0, 0.5 })
        {
            using var writer = store.Create("bandwidth", new System.Text.Json.Nodes.JsonObject(), rig);
            foreach (var row in Rows.Bandwidth().Where(r => r.Status == RowStatus.Ok))
            {
                writer.Write(row with { Value = row.Value * factor });
            }

            writer.Complete();
            runs.Add(store.Load(writer.Folder));
        }

        var fig = new FigureJson(Charts.CompareRuns(runs, "latency"));
        Assert.Equal(2, fig.Traces.Count());
        Assert.All(fig.Traces, t => Assert.EndsWith("simulated)", t.GetProperty("name").GetString(), StringComparison.Ordinal));
        Assert.Contains(fig.Traces.First().GetProperty("x").EnumerateArray(), x => x.GetString() == "peer_latency GPU 0→1 p2p=on");
        Assert.Contains("latency (us)", fig.AxisTitles);
    }

    [Fact]
    public void A_chart_without_its_rows_says_so_instead_of_drawing_nothing()
    {
        var fig = new FigureJson(Charts.PowerSweep(ChartData.FromRows(Rows.Scaling())));
        Assert.Contains(fig.AnnotationTexts, t => t == "no power-sweep rows");
    }
}
