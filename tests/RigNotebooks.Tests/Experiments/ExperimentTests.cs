using RigNotebooks.Bandwidth;
using RigNotebooks.Bandwidth.Execution;
using RigNotebooks.Doctor;
using RigNotebooks.Errors;
using RigNotebooks.Experiments;
using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Rigs;
using RigNotebooks.Tests.TestSupport;

namespace RigNotebooks.Tests.Experiments;

/// <summary>The one-call experiments: each writes a complete run, returns it as read back from disk, with its findings.</summary>
public class ExperimentTests
{
    /// <summary>Simulated cases take microseconds: a short deadline keeps the driver-545 hangs cheap.</summary>
    internal static readonly SuiteRunOptions Fast = new(WorkerMode.InProcess, DeadlineSeconds: 0.5);

    [Fact]
    public async Task Doctor_deep_on_driver_545_records_the_hangs_the_watchdog_caught_and_names_the_driver()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        using var rig = TestRigs.Sim("blog-3x3090-driver545");

        var result = await Experiment.DoctorAsync(store, rig, deep: true, Fast);

        Assert.Equal(RunStatus.Completed, result.Run.Record.Status);
        Assert.Equal("doctor", result.Run.Record.Experiment);
        Assert.Equal(DataSource.Simulated, result.Run.Record.Source);
        Assert.Contains(result.Run.Rows, r => r.Status == RowStatus.Hung && r.Note!.StartsWith("hung after", StringComparison.Ordinal));
        Assert.Contains(result.Findings, f => f.Code == BandwidthFindings.HangCode && f.Severity == Severity.Error);
        Assert.Contains(result.Findings, f => f.Code == "p2p-known-bad-driver");
        Assert.NotEmpty(result.Watchdog);
        Assert.Contains("watchdog", result.Run.Record.Summary.Keys);
        Assert.True(result.HasErrors);
        // One doctor row per finding, and the findings in run.json are the ones returned, worst first.
        Assert.Equal(result.Findings.Select(f => f.Code), result.Run.Rows.Where(r => r.Experiment == "doctor").Select(r => r.Case));
        Assert.Equal(result.Findings.Select(f => (f.Code, f.Title)), result.Run.Record.Findings.Select(f => (f.Code, f.Title)));
        Assert.Equal(result.Findings.OrderByDescending(f => f.Severity).Select(f => f.Severity), result.Findings.Select(f => f.Severity));
        Assert.Equal(result.Run.Rows.Count, store.Load(result.RunId).Rows.Count);
    }

    [Fact]
    public async Task Plain_doctor_runs_no_check_and_a_healthy_rig_has_no_error()
    {
        using var temp = new TempFolder();
        using var rig = TestRigs.Sim("blog-3x3090");

        var result = await Experiment.DoctorAsync(new RunStore(temp.Path), rig, environment: new Dictionary<string, string>());

        Assert.Empty(result.Watchdog);
        Assert.All(result.Run.Rows, r => Assert.Equal("doctor", r.Experiment));
        Assert.False(result.HasErrors);
    }

    [Fact]
    public async Task Bandwidth_and_all_reduce_write_their_runs_with_the_report_and_summary()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        using var rig = TestRigs.Sim("blog-3x3090");

        var bandwidth = await Experiment.BandwidthAsync(store, rig, new BandwidthSpec { Cases = ["peer_unidirectional"] }, options: Fast);
        var allReduce = await Experiment.AllReduceAsync(store, rig, new AllReduceSpec { MaxBytes = 1024 }, options: Fast);

        Assert.Equal("bandwidth", bandwidth.Run.Record.Experiment);
        Assert.Equal("sim:blog-3x3090", bandwidth.Run.Record.Spec["rig"]!.GetValue<string>());
        Assert.Equal(6 * 2, bandwidth.Run.Rows.Count(r => r is { Case: "peer_unidirectional", Metric: "bandwidth", Status: RowStatus.Ok }));
        Assert.NotNull(bandwidth.Report.Report.Unidirectional.P2pOn[0][1]);
        Assert.Equal(bandwidth.Watchdog.Count == 0 ? "nothing to report" : string.Join(" | ", bandwidth.Watchdog), bandwidth.Run.Record.Summary["watchdog"]);
        Assert.DoesNotContain(bandwidth.Run.Rows, r => r.Status == RowStatus.Hung);
        Assert.Equal("allreduce", allReduce.Run.Record.Experiment);
        Assert.Contains("avgBusBwGBps_p2p_on", allReduce.Run.Record.Summary.Keys);
        Assert.Equal(allReduce.Report.Suite.Rows.Count, allReduce.Run.Rows.Count);
    }

    [Fact]
    public void Train_scaling_covers_one_to_every_gpu_with_p2p_on_and_off_and_refuses_a_rig_that_is_not_simulated()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        using var rig = TestRigs.Sim("blog-3x3090");

        var result = Experiment.TrainScaling(store, rig);

        var points = result.Run.Rows.Where(r => r.Metric == "tokens_per_s").Select(r => (r.Parameter("gpus"), r.Parameter("p2p"))).ToList();
        Assert.Equal([("1", "on"), ("2", "on"), ("3", "on"), ("1", "off"), ("2", "off"), ("3", "off")], points);
        Assert.All(result.Run.Rows, r => Assert.Equal(DataSource.Simulated, r.Source));

        using var measured = new MeasuredLooking(rig);
        var refused = Assert.Throws<RigInputException>(() => Experiment.TrainScaling(store, measured));
        Assert.Contains("rig train --cmd", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_and_cost_write_their_rows_and_cost_can_take_the_load_from_a_run_with_telemetry()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);

        var plan = Experiment.Plan(store, ["sim:blog-3x3090", "sim:bifurcated-4x4"]);
        Assert.Equal(["sim:blog-3x3090", "sim:bifurcated-4x4"], plan.Run.Rows.Select(r => r.Case).Distinct());
        Assert.Single(plan.Report.Verdicts);
        Assert.Equal(plan.Report.Verdicts[0].Sentence, plan.Run.Record.Summary["verdict1"]);

        var edited = Experiment.Plan(store, ["sim:blog-3x3090"], ["cap=250"]);
        Assert.Equal(["sim:blog-3x3090", "sim:blog-3x3090 +cap=250"], edited.Report.Rigs.Select(r => r.Label));

        var cost = Experiment.Cost(store, "sim:blog-3x3090");
        Assert.Contains(cost.Run.Rows, r => r is { Case: "own", Metric: "eur_per_million_tokens", Status: RowStatus.Ok });
        Assert.Equal(cost.Report.Conclusions[0], cost.Run.Record.Summary["own"]);
        Assert.Equal("simulated", cost.Report.LoadSource);

        // A run with 400 W per GPU: the load is 3 × 400 W + the profile's 250 W of other load.
        var telemetry = TelemetryRun(store, 400);
        var measured = Experiment.Cost(store, "sim:blog-3x3090", energyRun: telemetry);
        Assert.Equal(3 * 400 + 250, measured.Report.LoadW!.Value, 6);
        Assert.Equal(telemetry.Id, measured.Run.Record.Spec["energyRun"]!.GetValue<string>());
        Assert.Throws<RigInputException>(() => Experiment.Cost(store, "sim:blog-3x3090", new RigNotebooks.Planning.Cost.CostOptions(LoadW: 900), telemetry));
    }

    [Fact]
    public async Task Power_sweep_on_a_simulated_rig_writes_caps_and_telemetry_recommends_by_the_rule_and_restores_the_limits()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        using var rig = TestRigs.Sim("blog-3x3090");
        var control = rig.Get<RigNotebooks.Power.IPowerLimitControl>().Require();
        var spec = new RigNotebooks.Power.PowerSweepSpec { CapsW = [350, 285, 200], WarmupS = 10, MeasureS = 10, RateHz = 1 };

        var sweep = await Experiment.PowerSweepAsync(store, rig, spec);

        Assert.Equal(RunStatus.Completed, sweep.Run.Record.Status);
        Assert.Equal(["350", "285", "200"], sweep.Run.Rows.Where(r => r is { Case: "cap", Metric: "throughput", Gpu: null }).Select(r => r.Parameter("cap_w")));
        Assert.Contains(sweep.Run.Rows, r => r.Case == "telemetry" && r.Metric == "power");
        Assert.Equal(sweep.Report.Recommendation!.CapW.ToString(System.Globalization.CultureInfo.InvariantCulture), sweep.Run.Record.Summary["recommendedCapW"]);
        Assert.Contains(sweep.Findings, f => f.Code == "power-cap-recommendation");
        Assert.All(Enumerable.Range(0, 3), g => Assert.Equal(285, control.GetLimits(g).CurrentW));
        Assert.True(sweep.Report.Restore!.AllRestored);
    }

    [Fact]
    public async Task Monitor_samples_for_the_rigs_seconds_and_ends_with_energy_cost_and_thermal_findings()
    {
        using var temp = new TempFolder();
        using var rig = TestRigs.Sim("blog-3x3090");

        var monitor = await Experiment.MonitorAsync(new RunStore(temp.Path), rig, 120, rateHz: 1);

        Assert.Equal("monitor", monitor.Run.Record.Experiment);
        Assert.Equal(120, monitor.Report.Window.ElapsedS, 6);
        Assert.True(monitor.Report.SimulatedTime);
        Assert.Equal(3 * 285 * 120, monitor.Report.Window.TotalEnergyJ, 0);
        Assert.Equal(monitor.Report.Window.TotalEnergyKWh * monitor.Report.Price.PricePerKWh, monitor.Report.Cost, 9);
        Assert.Contains(monitor.Run.Rows, r => r is { Case: "telemetry", Metric: "vram_temp", Gpu: 2 });
        Assert.Contains(monitor.Findings, f => f.Code == "hottest-gpu");
        Assert.Contains("throughput", monitor.Run.Record.Summary.Keys);
        await Assert.ThrowsAsync<RigInputException>(() => Experiment.MonitorAsync(new RunStore(temp.Path), rig, 0));
    }

    private static LoadedRun TelemetryRun(RunStore store, double watts)
    {
        using var rig = TestRigs.Sim("blog-3x3090");
        string folder;
        using (var run = store.Create("monitor", new System.Text.Json.Nodes.JsonObject(), rig.Describe()))
        {
            folder = run.Folder;
            for (var gpu = 0; gpu < 3; gpu++)
            {
                run.Write(ResultRow.Ok("monitor", "telemetry", gpu, null, "power", watts, "W", DataSource.Simulated, new Dictionary<string, string> { ["t_s"] = "0" }));
            }

            run.Complete();
        }

        return RunStore.LoadFolder(folder);
    }

    /// <summary>A rig that is not a <see cref="Simulation.SimulatedRig"/> as far as the experiments can tell.</summary>
    internal sealed class MeasuredLooking(IRig inner) : IRig
    {
        public string Id => "measured-looking";

        public DataSource Source => DataSource.Measured;

        public RigDescription Describe() => inner.Describe() with { RigId = Id, Source = DataSource.Measured };

        public Capability<T> Get<T>()
            where T : class => Capability<T>.Unavailable("a stand-in measures nothing");

        public void Dispose()
        {
        }
    }
}
