using System.Text.Json.Nodes;
using RigNotebooks.Errors;
using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Results.Comparison;
using RigNotebooks.Rigs;
using RigNotebooks.Tests.TestSupport;

namespace RigNotebooks.Tests.Results.Comparison;

public class RunComparerTests
{
    [Fact]
    public void Rows_line_up_by_case_gpu_peer_metric_and_params_with_absolute_and_relative_deltas()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        var a = TestRuns.Bandwidth(store, scale: 1.0);
        var b = TestRuns.Bandwidth(store, scale: 0.5);

        var c = RunComparer.Compare([a, b]);

        Assert.Equal(a.Rows.Count, c.Rows.Count);
        var h2d = c.Rows.Single(r => r.Key is { Case: "host_to_device_pinned", Gpu: 1 });
        Assert.Equal("host_to_device_pinned gpu1 bandwidth [size_bytes=268435456]", h2d.Key.Label);
        Assert.Equal(12.6, h2d.Values[0].Value!.Value, 9);
        Assert.Equal(6.35, h2d.Values[1].Value!.Value, 9);
        Assert.Equal(-6.25, h2d.Values[1].DeltaAbs!.Value, 9);
        Assert.Equal(-6.25 / 12.6, h2d.Values[1].DeltaRel!.Value, 9);
        Assert.Null(h2d.Values[0].DeltaAbs);
        Assert.True(h2d.Changed);
        var peer = c.Rows.Single(r => r.Key is { Case: "peer_unidirectional", Gpu: 2, Peer: 0 });
        Assert.Equal("p2p=on;size_bytes=268435456", peer.Key.Params);
        Assert.Equal(-5.0 / 12.0, peer.LargestRelativeDelta!.Value, 9); // 10 + 2 (gpu 2) -> 5 + 2
        Assert.DoesNotContain(c.Environment, e => e.Category is DifferenceCategory.Platform or DifferenceCategory.Gpu or DifferenceCategory.Source);
        Assert.Empty(c.Warnings);
    }

    [Fact]
    public void Environment_differences_name_driver_caps_links_kernel_parameters_and_rig_but_not_identities()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        var a = TestRuns.Bandwidth(store, "sim:blog-3x3090");
        var b = TestRuns.Bandwidth(store, "sim:blog-3x3090", change: rig => TestRuns.WithIdentity(rig, "other-host", ["GPU-11111111-2222-3333-4444-555555555555"]) with
        {
            Platform = rig.Platform with { DriverVersion = "545.23.08", KernelCommandLine = rig.Platform.KernelCommandLine.Replace("iommu=pt", "amd_iommu=on", StringComparison.Ordinal) },
            Gpus = rig.Gpus.Select(g => g.Index == 1
                ? g with { PowerLimits = g.PowerLimits with { CurrentW = 350 }, Link = g.Link with { CurrentWidth = 4 } }
                : g).ToList(),
        });

        var c = RunComparer.Compare([a, b]);
        var fields = c.Environment.ToDictionary(e => e.Field);

        Assert.Equal(["535.154.05", "545.23.08"], fields["driver"].Values);
        Assert.Equal(["285", "350"], fields["gpu1.power limit W"].Values);
        Assert.Equal(["Gen3 x16", "Gen3 x4"], fields["gpu1.link"].Values);
        Assert.Equal("run 2: +amd_iommu=on -iommu=pt", fields["kernel command line"].Detail);
        Assert.DoesNotContain(c.Environment, e => e.Field.Contains("uuid", StringComparison.OrdinalIgnoreCase) || e.Field.Contains("host", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(c.Environment, e => e.Flagged);
        Assert.Equal(0, c.Rows.Count(r => r.Changed)); // same scale: the numbers agree, only the environment differs
    }

    [Fact]
    public void Measured_and_simulated_runs_are_never_mixed_silently()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        var simulated = TestRuns.Bandwidth(store);
        var measured = TestRuns.Bandwidth(store, change: rig => rig with { Source = DataSource.Measured });

        var c = RunComparer.Compare([simulated, measured]);

        var source = Assert.Single(c.Environment, e => e.Category == DifferenceCategory.Source);
        Assert.True(source.Flagged);
        Assert.Equal(["simulated", "measured"], source.Values);
        Assert.True(c.MixesSources);
        Assert.All(c.Rows, r => Assert.True(r.MixedSources));
        Assert.Contains(c.Warnings, w => w.Contains("mix data sources", StringComparison.Ordinal));
        Assert.All(c.Points, p => Assert.True(p.Flagged));
    }

    [Fact]
    public void Missing_rows_status_changes_units_and_repeated_keys_are_shown_not_hidden()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        LoadedRun Make(params ResultRow[] rows)
        {
            using var rig = RigSelector.Open("sim:blog-3x3090");
            using var run = store.Create("bandwidth", new JsonObject(), rig.Describe());
            run.Write(rows);
            run.Complete();
            return store.Load(run.Id);
        }

        var s = DataSource.Simulated;
        var a = Make(
            ResultRow.Ok("bandwidth", "peer_latency", 0, 1, "latency", 10, "us", s),
            ResultRow.Ok("bandwidth", "peer_latency", 0, 1, "latency", 12, "us", s),
            ResultRow.Ok("bandwidth", "peer_unidirectional", 0, 1, "bandwidth", 20, "GB/s", s),
            ResultRow.Ok("bandwidth", "only_a", 0, null, "x", 1, "count", s),
            ResultRow.Ok("bandwidth", "zero", 0, null, "x", 0, "count", s));
        var b = Make(
            ResultRow.Ok("bandwidth", "peer_latency", 0, 1, "latency", 11, "us", s),
            ResultRow.Ok("bandwidth", "peer_latency", 0, 1, "latency", 12, "us", s),
            ResultRow.NotMeasured(RowStatus.Hung, "bandwidth", "peer_unidirectional", 0, 1, "bandwidth", "GB/s", s, "hung after 10 s"),
            ResultRow.Ok("bandwidth", "zero", 0, null, "x", 3, "bytes", s),
            ResultRow.Ok("bandwidth", "only_b", 0, null, "x", 1, "count", s));

        var c = RunComparer.Compare([a, b]);
        var byLabel = c.Rows.ToDictionary(r => r.Key.Label);

        Assert.Equal(1, byLabel["peer_latency gpu0→1 latency"].Values[1].DeltaAbs);
        Assert.Equal(0, byLabel["peer_latency gpu0→1 latency #2"].Values[1].DeltaAbs);
        Assert.False(byLabel["peer_latency gpu0→1 latency #2"].Changed);
        var hung = byLabel["peer_unidirectional gpu0→1 bandwidth"];
        Assert.True(hung.StatusChanged);
        Assert.Equal(RowStatus.Hung, hung.Values[1].Status);
        Assert.Null(hung.Values[1].DeltaAbs);
        Assert.Equal("hung after 10 s", hung.Values[1].Note);
        Assert.False(byLabel["only_a gpu0 x"].Values[1].Present);
        Assert.False(byLabel["only_b gpu0 x"].Values[0].Present);
        Assert.True(byLabel["zero gpu0 x"].UnitMismatch);
        Assert.Null(byLabel["zero gpu0 x"].Values[1].DeltaAbs);
        Assert.Contains(c.Warnings, w => w.Contains("different units", StringComparison.Ordinal));
    }

    [Fact]
    public void A_zero_baseline_has_no_relative_delta_and_ignored_params_line_rows_up()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        LoadedRun Make(double value, string t)
        {
            using var rig = RigSelector.Open("sim:blog-3x3090");
            using var run = store.Create("monitor", new JsonObject(), rig.Describe());
            run.Write(ResultRow.Ok("monitor", "telemetry", 0, null, "power", value, "W", DataSource.Simulated, new Dictionary<string, string> { ["t_s"] = t }));
            run.Complete();
            return store.Load(run.Id);
        }

        var a = Make(0, "1.001");
        var b = Make(5, "0.998");
        Assert.Equal(2, RunComparer.Compare([a, b]).Rows.Count);

        var row = Assert.Single(RunComparer.Compare([a, b], new ComparisonOptions(IgnoreParams: ["t_s"])).Rows);
        Assert.Equal(5, row.Values[1].DeltaAbs);
        Assert.Null(row.Values[1].DeltaRel);
    }

    [Fact]
    public void Runs_of_different_experiments_or_fewer_than_two_are_refused()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        var a = TestRuns.Bandwidth(store);
        using var rig = RigSelector.Open("sim:blog-3x3090");
        using (var doctor = store.Create("doctor", new JsonObject(), rig.Describe()))
        {
            doctor.Complete();
        }

        var other = store.List().Single(r => r.Record.Experiment == "doctor");
        Assert.Contains("same experiment", Assert.Throws<RigInputException>(() => RunComparer.Compare([a, other])).Message, StringComparison.Ordinal);
        Assert.Throws<RigInputException>(() => RunComparer.Compare([a]));
    }

    [Fact]
    public void Points_give_a_chart_one_value_per_row_and_run_with_its_delta()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        var a = TestRuns.Bandwidth(store);
        store.AddTags(a.Id, ["driver-535"]);
        var b = TestRuns.Bandwidth(store, scale: 1.1);
        store.AddTags(b.Id, ["driver-545"]);

        var c = RunComparer.Compare(store, [a.Id, b.Id]);

        Assert.Equal(c.Rows.Count * 2, c.Points.Count);
        Assert.Equal(["driver-535", "driver-545"], c.Points.Select(p => p.RunLabel).Distinct());
        Assert.All(c.Points.Where(p => p.RunIndex == 0), p => Assert.Null(p.DeltaRel));
        Assert.All(c.Points.Where(p => p.RunIndex == 1), p => Assert.True(p.DeltaRel > 0));
        Assert.All(c.Points, p => Assert.Equal("GB/s", p.Unit));
    }
}
