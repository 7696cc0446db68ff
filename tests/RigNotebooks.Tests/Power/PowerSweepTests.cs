using RigNotebooks.Errors;
using RigNotebooks.Power;
using RigNotebooks.Results;
using RigNotebooks.Rigs;
using RigNotebooks.Simulation;
using RigNotebooks.Telemetry;

namespace RigNotebooks.Tests.Power;

/// <summary>The sweep on the simulated reference rig (simulated time: minutes of it take well under a second).</summary>
public sealed class PowerSweepTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("rig-sweep-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static PowerSweepSpec Short(params double[] caps) => new() { CapsW = caps, WarmupS = 10, MeasureS = 20, RateHz = 5 };

    private PowerSweepSetup Setup(IRig rig, bool dryRun = false, RunWriter? run = null) =>
        PowerSweepSetup.ForRig(rig, dryRun, "burn", Path.Combine(dir, "journal.json"), run) with { HandleSignals = false };

    [Fact]
    public async Task At_285_W_the_reference_rig_is_a_few_percent_slower_and_uses_over_ten_percent_less_energy_per_unit()
    {
        using var rig = TestRigs.Sim("blog-3x3090");
        var result = await new PowerSweep(Short(350, 285), Setup(rig)).RunAsync(default);

        var at350 = result.Caps.Single(c => c.CapW == 350);
        var at285 = result.Caps.Single(c => c.CapW == 285);
        var slower = 1 - (at285.Throughput!.UnitsPerS / at350.Throughput!.UnitsPerS);
        var saved = 1 - (at285.EnergyPerUnitJ!.Value / at350.EnergyPerUnitJ!.Value);
        Assert.InRange(slower, 0.01, 0.05);
        Assert.True(saved >= 0.10, $"energy per unit only {saved:P1} lower");
        Assert.Equal("TFLOP", result.WorkUnit);
        Assert.True(result.SimulatedTime);
    }

    [Fact]
    public async Task Writes_a_row_set_per_cap_and_telemetry_and_restores_the_limits()
    {
        using var rig = TestRigs.Sim("blog-3x3090");
        var store = new RunStore(Path.Combine(dir, "runs"));
        using var run = store.Create(PowerSweep.Experiment, new(), rig.Describe());
        var result = await new PowerSweep(Short(300, 250) with { Selection = new SelectorSettings(CapSelector.LowestEnergy) }, Setup(rig, run: run)).RunAsync(default);
        run.Complete();

        var rows = store.Load(run.Id).Rows;
        foreach (var cap in new[] { "300", "250" })
        {
            var set = rows.Where(r => r.Case == PowerSweep.CapCase && r.Parameter("cap_w") == cap).ToList();
            foreach (var metric in new[] { "throughput", "power", "energy_per_unit", "core_temp_peak", "core_temp_steady", "vram_temp_peak", "vram_temp_steady", "sm_clock", "throttled_fraction" })
            {
                Assert.Contains(set, r => r.Gpu is null && r.Metric == metric && r.Status == RowStatus.Ok);
                Assert.Equal(3, set.Count(r => r.Gpu is not null && r.Metric == metric && r.Status == RowStatus.Ok));
            }

            Assert.Contains(rows, r => r.Case == PowerSweep.PsuCase && r.Parameter("cap_w") == cap && r.Metric == "headroom");
        }

        Assert.Contains(rows, r => r.Case == "telemetry" && r.Experiment == PowerSweep.Experiment && r.Parameter("phase") == "measure" && r.Metric == "vram_temp");
        Assert.Equal(250, result.Recommendation!.CapW);
        Assert.Contains(result.Findings, f => f.Code == "power-cap-recommendation" && f.Title.StartsWith("250 W: \u2212", StringComparison.Ordinal));
        Assert.True(result.Restore!.AllRestored);
        var control = rig.Get<IPowerLimitControl>().Require();
        Assert.All(Enumerable.Range(0, 3), g => Assert.Equal(285, control.GetLimits(g).CurrentW));
        Assert.False(File.Exists(Path.Combine(dir, "journal.json")));
    }

    [Fact]
    public async Task Cancellation_mid_sweep_restores_the_limits()
    {
        using var rig = TestRigs.Sim("blog-3x3090");
        var control = rig.Get<IPowerLimitControl>().Require();
        using var cts = new CancellationTokenSource();
        var setup = Setup(rig) with
        {
            Progress = new SyncProgress(p =>
            {
                if (p.CapLabel == "250" && p.Phase == "measure")
                {
                    Assert.Equal(250, control.GetLimits(0).CurrentW);
                    cts.Cancel();
                }
            }),
        };
        var sweep = new PowerSweep(Short(350, 250, 200), setup);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sweep.RunAsync(cts.Token));
        Assert.Single(sweep.Done);
        Assert.True(sweep.Restore!.AllRestored);
        Assert.All(Enumerable.Range(0, 3), g => Assert.Equal(285, control.GetLimits(g).CurrentW));
    }

    [Fact]
    public async Task A_dry_run_changes_nothing_and_measures_only_the_cap_in_force()
    {
        using var rig = TestRigs.Sim("blog-3x3090");
        var control = (SimulatedPowerControl)rig.Get<IPowerLimitControl>().Require();
        var changes = 0;
        control.Changed += (_, _) => changes++;
        var result = await new PowerSweep(new PowerSweepSpec { DryRun = true, WarmupS = 5, MeasureS = 10 }, Setup(rig, dryRun: true)).RunAsync(default);

        Assert.Equal(0, changes);
        Assert.Null(result.Restore);
        Assert.Equal("285", Assert.Single(result.Caps).CapLabel);
        Assert.Equal(12, result.Plan.CapsW.Count);
        Assert.Null(result.Recommendation);
        Assert.Contains(result.Findings, f => f.Code == "power-sweep-dry-run");
        Assert.False(File.Exists(Path.Combine(dir, "journal.json")));
    }

    [Fact]
    public async Task Out_of_range_caps_are_refused_before_anything_changes()
    {
        using var rig = TestRigs.Sim("blog-3x3090");
        var control = (SimulatedPowerControl)rig.Get<IPowerLimitControl>().Require();
        var changes = 0;
        control.Changed += (_, _) => changes++;
        await Assert.ThrowsAsync<RigInputException>(() => new PowerSweep(Short(350, 400), Setup(rig)).RunAsync(default));
        Assert.Equal(0, changes);
        Assert.False(File.Exists(Path.Combine(dir, "journal.json")));
        Assert.Throws<RigInputException>(() => control.SetLimitW(0, 90));
    }

    [Fact]
    public async Task The_findings_name_the_transient_risk_vram_near_throttle_and_the_hottest_card()
    {
        using var rig = TestRigs.Sim("blog-3x3090");
        var result = await new PowerSweep(new PowerSweepSpec { CapsW = [350, 300, 285], WarmupS = 60, MeasureS = 120, RateHz = 2 }, Setup(rig)).RunAsync(default);

        Assert.Contains(result.Findings, f => f.Code == "psu-transient-risk" && f.Title.Contains("PSU A", StringComparison.Ordinal));
        Assert.Contains(result.Findings, f => f.Code == "vram-near-throttle" && f.Title.StartsWith("GPU 2", StringComparison.Ordinal));
        var hottest = Assert.Single(result.Findings, f => f.Code == "hottest-gpu");
        Assert.Contains("GPU 2", hottest.Title);
        Assert.Contains("airflow position 2", hottest.Title);
    }

    [Fact]
    public void The_simulated_power_limits_persist_in_the_state_folder_for_another_process()
    {
        var options = new SimulationOptions(StateDirectory: dir);
        using (var first = (SimulatedRig)RigSelector.Open("sim:blog-3x3090", new RigOpenOptions(RigNotebooks.Data.ReferenceData.Default, options)))
        {
            first.Get<IPowerLimitControl>().Require().SetLimitW(1, 225);
        }

        using var second = (SimulatedRig)RigSelector.Open("sim:blog-3x3090", new RigOpenOptions(RigNotebooks.Data.ReferenceData.Default, options));
        var control = second.Get<IPowerLimitControl>().Require();
        Assert.Equal(225, control.GetLimits(1).CurrentW);
        Assert.Equal(285, control.GetLimits(0).CurrentW);
        Assert.True(File.Exists(Path.Combine(dir, "sim-blog-3x3090.power.json")));
    }

    [Fact]
    public async Task Simulated_telemetry_reaches_the_reference_rigs_temperatures_at_285_W()
    {
        using var rig = TestRigs.Sim("blog-3x3090");
        var clock = rig.Get<IRigClock>().Require();
        var telemetry = rig.Get<IGpuTelemetry>().Require();
        await using var burn = rig.Get<RigNotebooks.Workloads.IWorkloadProvider>().Require().Create("burn");
        await burn.StartAsync(default);
        await clock.DelayAsync(900, default); // 10 VRAM time constants: steady state
        var hottest = telemetry.Read(2);
        var coolest = telemetry.Read(0);

        Assert.InRange(hottest.CoreTempC!.Value, 68, 72);
        Assert.InRange(hottest.VramTempC!.Value, 102, 106);
        Assert.True(coolest.VramTempC < hottest.VramTempC);
        Assert.Equal(285, hottest.PowerW!.Value, 1);
        Assert.Equal((ulong)ClockEventReasons.SwPowerCap, hottest.ClockEventReasons);
        Assert.InRange(hottest.EnergyJ!.Value, (285 * 900) - 50, (285 * 900) + 1); // the counter integrates the power
    }

    private sealed class SyncProgress(Action<PowerSweepProgress> report) : IProgress<PowerSweepProgress>
    {
        public void Report(PowerSweepProgress value) => report(value);
    }
}
