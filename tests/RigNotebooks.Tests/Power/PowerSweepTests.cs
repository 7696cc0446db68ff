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
    public async Task By_default_each_cap_warms_up_until_steady_so_steady_temperatures_rise_with_the_cap()
    {
        using var rig = TestRigs.Sim("blog-3x3090");
        double[] capsW = [350, 325, 300, 285, 250];
        var result = await new PowerSweep(new PowerSweepSpec { CapsW = capsW, MeasureS = 60, RateHz = 2 }, Setup(rig)).RunAsync(default);

        Assert.All(result.Caps, c => Assert.True(c.Warmup is { Fixed: false, Steady: true }, $"{c.CapLabel} W: {c.Warmup}"));
        Assert.All(result.Caps, c => Assert.InRange(c.Warmup!.Seconds, PowerSweepSpec.SteadyWindowS, PowerSweepSpec.DefaultMaxWarmupS));
        for (var gpu = 0; gpu < 3; gpu++)
        {
            var byCap = result.Caps.OrderByDescending(c => c.CapW).Select(c => c.Window.Gpus[gpu]).ToList();
            for (var i = 1; i < byCap.Count; i++)
            {
                // A lower cap never settles hotter (within half a degree: "steady" still leaves a little drift).
                Assert.True(byCap[i].SteadyVramTempC <= byCap[i - 1].SteadyVramTempC + 0.5, $"GPU {gpu} VRAM: {capsW[i]} W at {byCap[i].SteadyVramTempC:0.0} °C, above {capsW[i - 1]} W at {byCap[i - 1].SteadyVramTempC:0.0} °C");
                Assert.True(byCap[i].SteadyCoreTempC <= byCap[i - 1].SteadyCoreTempC + 0.5, $"GPU {gpu} core: {capsW[i]} W above {capsW[i - 1]} W");
            }
        }

        // Steady at 350 W the hottest card's VRAM holds at its 110 °C throttle point, slowing it: the stock cap's throughput and
        // the findings are the steady ones, not a cold card's.
        var at350 = result.Caps.Single(c => c.CapW == 350);
        Assert.InRange(at350.Window.Gpus[2].SteadyVramTempC!.Value, 109.5, 110.01);
        Assert.True(at350.Window.Gpus[2].ReasonFractions.ContainsKey("sw_thermal"));
        Assert.True(at350.Throughput!.UnitsPerS < 3 * 35.6 * 0.995, $"350 W ran at {at350.Throughput.UnitsPerS:0.00} TFLOP/s, as if never throttled");
        var vram = Assert.Single(result.Findings, f => f.Code == "vram-near-throttle" && f.Title.StartsWith("GPU 2", StringComparison.Ordinal));
        Assert.Equal("GPU 2 VRAM settles at 110 °C at 350 W, at its 110 °C throttle point", vram.Title);
        Assert.Equal(RigNotebooks.Doctor.Severity.Warning, vram.Severity); // 350 W is a cap visited, not the 285 W the rig runs at
        Assert.DoesNotContain(result.Findings, f => f.Code == "power-sweep-not-steady");
        // GPUs 1 and 2 are both held at the throttle point (VRAM 110 °C, core 73.4 °C): tied, both named.
        Assert.StartsWith("GPUs 1 and 2 run hottest, tied", Assert.Single(result.Findings, f => f.Code == "hottest-gpu").Title, StringComparison.Ordinal);

        // The headline still holds at steady state: 285 W a few percent slower, over 10 % less energy per unit.
        var at285 = result.Caps.Single(c => c.CapW == 285);
        Assert.InRange(1 - (at285.Throughput!.UnitsPerS / at350.Throughput.UnitsPerS), 0.01, 0.05);
        Assert.True(at285.EnergyPerUnitJ <= at350.EnergyPerUnitJ * 0.90);
        Assert.Contains(result.Caps.SelectMany(c => c.Rows), r => r.Metric == "warmup" && r.Gpu is null && r.Status == RowStatus.Ok);
    }

    [Fact]
    public async Task A_fixed_warm_up_too_short_for_the_vram_is_said_to_be_not_steady()
    {
        using var rig = TestRigs.Sim("blog-3x3090");
        var result = await new PowerSweep(new PowerSweepSpec { CapsW = [350, 285], WarmupS = 30, MeasureS = 30, RateHz = 2 }, Setup(rig)).RunAsync(default);

        Assert.All(result.Caps, c => Assert.True(c.Warmup!.Fixed));
        Assert.Equal(false, result.Caps[0].Warmup!.Steady);
        var finding = Assert.Single(result.Findings, f => f.Code == "power-sweep-not-steady");
        Assert.Equal(RigNotebooks.Doctor.Severity.Hint, finding.Severity);
        Assert.Contains("350 W", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_simulated_training_step_counts_tokens_slows_with_the_cap_and_costs_less_energy_per_token_at_285_W()
    {
        using var rig = TestRigs.Sim("blog-3x3090");
        var setup = PowerSweepSetup.ForRig(rig, dryRun: false, "train", Path.Combine(dir, "journal.json")) with { HandleSignals = false };
        var result = await new PowerSweep(new PowerSweepSpec { CapsW = [350, 285, 200], MeasureS = 60, RateHz = 2 }, setup).RunAsync(default);

        Assert.Equal("token", result.WorkUnit);
        Assert.Contains("training", result.WorkloadName, StringComparison.Ordinal);
        var rates = result.Caps.Select(c => c.Throughput!.UnitsPerS).ToList();
        Assert.True(rates[0] > rates[1] && rates[1] > rates[2], string.Join(", ", rates));
        var at350 = result.Caps[0];
        var at285 = result.Caps[1];
        Assert.True(at285.EnergyPerUnitJ < at350.EnergyPerUnitJ, $"{at285.EnergyPerUnitJ} J/token at 285 W vs {at350.EnergyPerUnitJ} at 350 W");
        Assert.InRange(1 - (at285.Throughput!.UnitsPerS / at350.Throughput!.UnitsPerS), 0.0, 0.05);
        Assert.EndsWith("energy per token (against 350 W)", result.Recommendation!.Headline, StringComparison.Ordinal);

        // At 285 W nothing is hot enough to throttle: the rate is the data-parallel model's step at that cap, as train --simulate reports it.
        var model = new RigNotebooks.Simulation.Physics.DataParallelModel((SimulatedRig)rig);
        var expected = model.Step(RigNotebooks.Simulation.Physics.TransformerShape.Reference, 3, p2p: true, 16.0 * RigNotebooks.Simulation.Physics.TransformerShape.Reference.SequenceLength);
        Assert.Equal(expected.TokensPerSecond, at285.Throughput.UnitsPerS, expected.TokensPerSecond * 0.001);
    }

    [Fact]
    public async Task Training_on_the_driver_545_rig_never_completes_a_step_and_the_sweep_says_so()
    {
        using var rig = TestRigs.Sim("blog-3x3090-driver545");
        var setup = PowerSweepSetup.ForRig(rig, dryRun: false, "train", Path.Combine(dir, "journal.json")) with { HandleSignals = false };
        var ex = await Assert.ThrowsAsync<WorkloadFailedException>(() => new PowerSweep(Short(350, 285), setup).RunAsync(default));
        Assert.Contains("all-reduce never completes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vram_at_its_throttle_point_under_the_limit_in_force_is_an_error()
    {
        using var rig = TestRigs.Sim("blog-3x3090");
        var control = rig.Get<IPowerLimitControl>().Require();
        for (var g = 0; g < 3; g++)
        {
            control.SetLimitW(g, 350); // the rig runs at the stock limit
        }

        var result = await new PowerSweep(new PowerSweepSpec { CapsW = [350, 285], MeasureS = 30, RateHz = 1 }, Setup(rig)).RunAsync(default);
        var vram = Assert.Single(result.Findings, f => f.Code == "vram-near-throttle" && f.Title.StartsWith("GPU 2", StringComparison.Ordinal));
        Assert.Equal(RigNotebooks.Doctor.Severity.Error, vram.Severity);
    }

    [Fact]
    public void The_warm_up_spec_is_checked()
    {
        Assert.Throws<RigInputException>(() => new PowerSweepSpec { WarmupS = -1 }.Validate());
        Assert.Throws<RigInputException>(() => new PowerSweepSpec { MaxWarmupS = 10 }.Validate());
        new PowerSweepSpec().Validate();
        Assert.Null(new PowerSweepSpec().WarmupS);
    }

    [Fact]
    public async Task A_simulated_rig_starts_switched_on_and_idle_not_at_ambient()
    {
        using var rig = TestRigs.Sim("blog-3x3090");
        var clock = rig.Get<IRigClock>().Require();
        var telemetry = rig.Get<IGpuTelemetry>().Require();
        var first = telemetry.Read(2);
        await clock.DelayAsync(900, default);
        var later = telemetry.Read(2);

        Assert.True(first.VramTempC > 25 + 1, $"VRAM at {first.VramTempC:0.0} °C: a switched-on card idles above the 25 °C ambient");
        Assert.Equal(first.CoreTempC!.Value, later.CoreTempC!.Value, 1);
        Assert.Equal(first.VramTempC!.Value, later.VramTempC!.Value, 1);
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
