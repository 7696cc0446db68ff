using System.Globalization;
using RigNotebooks.Data;
using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Rigs;
using RigNotebooks.Telemetry;
using RigNotebooks.Workloads;

namespace RigNotebooks.Power;

/// <summary>What a sweep runs against: the rig and its capabilities, the workload, where rows and the journal go.</summary>
public sealed record PowerSweepSetup
{
    public required IRig Rig { get; init; }

    public required IGpuTelemetry Telemetry { get; init; }

    public required IRigClock Clock { get; init; }

    /// <summary>Needed to change limits; a dry run works without (it then reads the limits from the rig's description).</summary>
    public IPowerLimitControl? Control { get; init; }

    public required IWorkload Workload { get; init; }

    /// <summary>Where the original limits are journalled before the first change.</summary>
    public required string JournalPath { get; init; }

    /// <summary>The run the rows go to as they are measured (telemetry and per-cap rows); null to keep them in memory only.</summary>
    public RunWriter? Run { get; init; }

    public IProgress<PowerSweepProgress>? Progress { get; init; }

    /// <summary>Restore on SIGINT/SIGTERM/SIGQUIT/SIGHUP (always on in the CLI).</summary>
    public bool HandleSignals { get; init; } = true;

    public ReferenceData Data { get; init; } = ReferenceData.Default;

    /// <summary>The capabilities of a rig: telemetry (required), its clock (wall clock if it offers none), its power control
    /// (required unless <paramref name="dryRun"/>), and its built-in workload <paramref name="workload"/> unless one is given.</summary>
    public static PowerSweepSetup ForRig(IRig rig, bool dryRun, string workload, string journalPath, RunWriter? run = null, IWorkload? custom = null)
    {
        var telemetry = rig.Get<IGpuTelemetry>().Require();
        var clock = rig.Get<IRigClock>().Value ?? WallClock.Shared;
        var control = rig.Get<IPowerLimitControl>();
        if (!dryRun && control.Require().WhyCannotSet is { } why)
        {
            throw new PowerLimitPermissionException(why); // before a run or a workload exists: exit 3 with the remedy
        }

        return new PowerSweepSetup
        {
            Rig = rig,
            Telemetry = telemetry,
            Clock = clock,
            Control = control.Value,
            Workload = custom ?? rig.Get<IWorkloadProvider>().Require().Create(workload),
            JournalPath = journalPath,
            Run = run,
        };
    }
}

/// <summary>A workload stopped doing work during a sweep; the sweep ends (and restores the limits).</summary>
public sealed class WorkloadFailedException : Exception
{
    public WorkloadFailedException(string message)
        : base(message)
    {
    }

    public WorkloadFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public WorkloadFailedException()
    {
    }
}

/// <summary>
/// The power-cap sweep: for each cap of the plan, set it on every GPU (through the <see cref="PowerLimitGuard"/>), let the
/// workload warm up, then measure a window: throughput, average power, energy per unit of work, peak and steady core and
/// VRAM temperatures, clocks and time throttled. Rows are written as each cap finishes; telemetry rows as they are sampled.
/// Then the selectors pick a cap and the findings speak about it, the PSUs and the thermals. The limits are restored
/// however the sweep ends. A dry run plans the sweep and measures only at the cap in force now, changing nothing.
/// </summary>
public sealed class PowerSweep(PowerSweepSpec spec, PowerSweepSetup setup)
{
    public const string Experiment = "power-sweep";

    /// <summary>Warm-up telemetry is written at most once a second of the rig's clock (the settling check still sees every
    /// sample): warm-ups run for minutes per cap, and at 10 Hz their rows made a default simulated sweep's rows.csv about
    /// 120 MB. The measured windows keep every sample.</summary>
    public const double WarmupRowIntervalS = 1.0;

    public const string CapCase = "cap";
    public const string PsuCase = "psu";

    private readonly List<CapResult> done = [];

    /// <summary>The caps measured so far (also after a failure or cancellation).</summary>
    public IReadOnlyList<CapResult> Done => done;

    /// <summary>The restore's outcome once the sweep has ended (null for a dry run, which changes nothing).</summary>
    public PowerRestoreReport? Restore { get; private set; }

    /// <summary>The plan, once made.</summary>
    public SweepPlan? Plan { get; private set; }

    /// <summary>The signal that interrupted the sweep, if any.</summary>
    public System.Runtime.InteropServices.PosixSignal? Signal { get; private set; }

    public async Task<PowerSweepResult> RunAsync(CancellationToken ct)
    {
        spec.Validate();
        var rig = setup.Rig.Describe();
        var limits = Enumerable.Range(0, rig.Gpus.Count)
            .Select(i => setup.Control?.GetLimits(i) ?? rig.Gpus[i].PowerLimits).ToList();
        var plan = Plan = SweepPlan.Create(limits, spec.CapsW, spec.StepW, spec.MinCapW);
        var notes = new List<string>();
        if (setup.Clock.IsSimulated)
        {
            notes.Add("Simulated time: the warm-up and measured windows are seconds of the simulated rig's clock, which runs faster than the wall clock.");
        }

        var currentLabel = limits.Select(l => l.CurrentW).Distinct().Count() == 1 ? F(limits[0].CurrentW) : "current";
        var caps = spec.DryRun
            ? [(currentLabel, limits.Max(l => l.CurrentW))]
            : plan.CapsW.Select(c => (F(c), c)).ToList();
        if (spec.DryRun)
        {
            notes.Add($"Dry run: planned {plan.CapsW.Count} caps ({string.Join(", ", plan.CapsW.Select(F))} W, {plan.How}); measured only at the limits in force now ({string.Join(", ", limits.Select(l => F(l.CurrentW)))} W); no limit was changed.");
        }

        PowerLimitGuard? guard = spec.DryRun
            ? null
            : PowerLimitGuard.Begin(setup.Control!, rig, setup.JournalPath, "power sweep", setup.HandleSignals);
        using var linked = guard is null
            ? CancellationTokenSource.CreateLinkedTokenSource(ct)
            : CancellationTokenSource.CreateLinkedTokenSource(ct, guard.SignalToken);
        var token = linked.Token;
        var sampler = new TelemetrySampler(setup.Telemetry, setup.Clock, setup.Rig.Source, new SamplerOptions(spec.RateHz, Experiment), setup.Run is null ? null : setup.Run.Write);
        var settling = new TemperatureSettling(PowerSweepSpec.SteadyWindowS);
        sampler.Sampled += settling.Add;
        try
        {
            sampler.Start();
            await setup.Workload.StartAsync(token).ConfigureAwait(false);
            for (var i = 0; i < caps.Count; i++)
            {
                var (label, capW) = caps[i];
                guard?.SetAllW(capW);
                sampler.Parameters = new Dictionary<string, string> { ["cap_w"] = label, ["phase"] = "warmup" };
                sampler.RowIntervalS = WarmupRowIntervalS;
                setup.Progress?.Report(new PowerSweepProgress(i, caps.Count, label, "warmup", spec.WarmupS ?? spec.MaxWarmupS, null));
                var warmup = await WarmUpAsync(settling, token).ConfigureAwait(false);

                sampler.Parameters = new Dictionary<string, string> { ["cap_w"] = label, ["phase"] = "measure" };
                sampler.RowIntervalS = 0;
                setup.Progress?.Report(new PowerSweepProgress(i, caps.Count, label, "measure", spec.MeasureS, null));
                var t0 = setup.Clock.NowS;
                var window = sampler.BeginWindow($"cap {label} W");
                await WaitWorkingAsync(spec.MeasureS, token).ConfigureAwait(false);
                var report = sampler.EndWindow(window);
                var t1 = setup.Clock.NowS;
                var result = Measure(label, capW, report, setup.Workload.Meter.Throughput(t0, t1), rig, warmup);
                done.Add(result);
                setup.Run?.Write(result.Rows);
                setup.Progress?.Report(new PowerSweepProgress(i, caps.Count, label, "done", spec.MeasureS, result));
            }
        }
        catch (OperationCanceledException) when (guard?.ReceivedSignal is { } signal)
        {
            Signal = signal;
            throw new OperationCanceledException($"Interrupted by {signal}; the power limits were restored.", null, token);
        }
        finally
        {
            try
            {
                await setup.Workload.StopAsync().ConfigureAwait(false);
            }
            finally
            {
                if (guard is not null)
                {
                    Restore = guard.Restore();
                    Signal ??= guard.ReceivedSignal;
                    guard.Dispose();
                }

                sampler.Stop();
                notes.AddRange(sampler.Errors.Select(e => $"telemetry: {e}"));
            }
        }

        if (Restore is { AllRestored: false } failed)
        {
            notes.Add($"Restoring the limits FAILED: {failed.Describe()}. The journal {setup.JournalPath} is kept: run `rig power restore --rig {setup.Rig.Id}`.");
        }
        else if (Restore is { } ok)
        {
            notes.Add($"Limits restored: {ok.Describe()}.");
        }

        var maxPowerW = limits.Sum(l => l.MaxW);
        var points = done.Select(c => c.AsPoint()).Where(p => p is not null).Select(p => p!).ToList();
        var selections = new Dictionary<string, double?>(StringComparer.Ordinal);
        foreach (var selector in Enum.GetValues<CapSelector>())
        {
            selections[JsonName(selector)] = points.Count >= 2
                ? CapSelectors.Select(points, spec.Selection with { Selector = selector }, maxPowerW)?.CapW
                : null;
        }

        var recommendation = points.Count >= 2 ? Recommend(points, spec.Selection, maxPowerW) : null;
        var findings = PowerSweepFindings.Build(rig, setup.Data, plan, done, recommendation, spec, setup.Workload, setup.Clock.IsSimulated);
        return new PowerSweepResult(plan, spec.DryRun, setup.Workload.Name, setup.Workload.Unit, setup.Clock.IsSimulated, done, selections, recommendation, findings, Restore, notes);
    }

    private CapRecommendation? Recommend(IReadOnlyList<CapPoint> points, SelectorSettings selection, double maxPowerW)
    {
        var chosen = CapSelectors.Select(points, selection, maxPowerW);
        if (chosen is null)
        {
            return null;
        }

        var baseline = points.MaxBy(p => p.CapW)!;
        var chosenResult = done.First(c => c.CapW == chosen.CapW);
        var baseResult = done.First(c => c.CapW == baseline.CapW);
        var dThroughput = Pct(chosen.UnitsPerS, baseline.UnitsPerS);
        var dEnergy = Pct(chosen.EnergyPerUnitJ, baseline.EnergyPerUnitJ);
        var dPower = Pct(chosenResult.TotalPowerW ?? double.NaN, baseResult.TotalPowerW ?? double.NaN);
        var headline = chosen.CapW == baseline.CapW
            ? $"{F(chosen.CapW)} W: the highest cap measured is also the best by {CapSelectors.Describe(selection)}"
            : $"{F(chosen.CapW)} W: {Signed(dThroughput)} % throughput, {Signed(dEnergy)} % energy per {setup.Workload.Unit} (against {F(baseline.CapW)} W)";
        return new CapRecommendation(chosen.CapW, selection.Selector, CapSelectors.Describe(selection), baseline.CapW, dThroughput, dEnergy, dPower, headline);
    }

    /// <summary>The warm-up at a cap: a fixed time when the spec gives one, else until every GPU's core and VRAM
    /// temperatures have settled (see <see cref="PowerSweepSpec.WarmupS"/>), judged once a second.</summary>
    private async Task<CapWarmup> WarmUpAsync(TemperatureSettling settling, CancellationToken ct)
    {
        settling.Reset();
        var start = setup.Clock.NowS;
        if (spec.WarmupS is { } fixedS)
        {
            await WaitWorkingAsync(fixedS, ct).ConfigureAwait(false);
            var drift = fixedS >= PowerSweepSpec.SteadyWindowS ? settling.DriftC() : null;
            return new CapWarmup(setup.Clock.NowS - start, Fixed: true, drift, drift is { } d ? d < PowerSweepSpec.SteadyDriftC : null);
        }

        while (true)
        {
            await WaitWorkingAsync(1.0, ct).ConfigureAwait(false);
            var elapsed = setup.Clock.NowS - start;
            if (elapsed < PowerSweepSpec.SteadyWindowS - 1e-9)
            {
                continue;
            }

            var drift = settling.DriftC();
            if (drift is { } d && d < PowerSweepSpec.SteadyDriftC)
            {
                return new CapWarmup(elapsed, Fixed: false, d, Steady: true);
            }

            if (drift is null)
            {
                // No temperatures to judge by: the least warm-up, and the result says steadiness was not judged.
                return new CapWarmup(elapsed, Fixed: false, null, Steady: null);
            }

            if (elapsed >= spec.MaxWarmupS - 1e-9)
            {
                return new CapWarmup(elapsed, Fixed: false, drift, Steady: false);
            }
        }
    }

    private async Task WaitWorkingAsync(double seconds, CancellationToken ct)
    {
        // Waits in slices so a workload that dies or goes silent stops the sweep within a second, not at the window's end.
        var remaining = seconds;
        while (remaining > 1e-9)
        {
            var slice = Math.Min(1.0, remaining);
            await setup.Clock.DelayAsync(slice, ct).ConfigureAwait(false);
            remaining -= slice;
            if (setup.Workload.Failure is { } why)
            {
                throw new WorkloadFailedException($"The workload stopped working: {why}");
            }
        }
    }

    private CapResult Measure(string label, double capW, TelemetryWindowReport window, WorkThroughput? throughput, RigDescription rig, CapWarmup warmup)
    {
        var source = setup.Rig.Source;
        var p = new Dictionary<string, string> { ["cap_w"] = label };
        var rows = new List<ResultRow>();
        var energies = window.Gpus.Where(g => g.EnergyJ is not null).ToList();
        double? energy = energies.Count == window.Gpus.Count && energies.Count > 0 ? energies.Sum(g => g.EnergyJ!.Value) : null;
        double? power = energy is { } e && window.ElapsedS > 0 ? e / window.ElapsedS : null;
        double? perUnit = energy is { } e2 && throughput is { Units: > 0 } t ? e2 / t.Units : null;
        double? cost = energy is { } e3 && spec.Price is { } price ? EnergyUnits.Cost(e3, price) : null;
        string? why = throughput is null ? $"the workload reported no work in the window ({setup.Workload.Name})" : null;

        void Add(int? gpu, string metric, double? value, string unit, string missing)
        {
            rows.Add(value is { } v && double.IsFinite(v)
                ? ResultRow.Ok(Experiment, CapCase, gpu, null, metric, v, unit, source, p)
                : ResultRow.NotMeasured(RowStatus.Waived, Experiment, CapCase, gpu, null, metric, unit, source, missing, p));
        }

        var noEnergy = "no energy figure: the GPUs reported neither an energy counter nor power";
        Add(null, "throughput", throughput?.UnitsPerS, "units/s", why ?? string.Empty);
        Add(null, "power", power, "W", noEnergy);
        Add(null, "energy", energy, "J", noEnergy);
        Add(null, "energy_per_unit", perUnit, "J", why ?? noEnergy);
        Add(null, "core_temp_peak", MaxOf(window, g => g.PeakCoreTempC), "C", "no core temperature reported");
        Add(null, "core_temp_steady", MaxOf(window, g => g.SteadyCoreTempC), "C", "no core temperature reported");
        Add(null, "vram_temp_peak", MaxOf(window, g => g.PeakVramTempC), "C", "no memory temperature reported (most GeForce cards do not offer it through NVML)");
        Add(null, "vram_temp_steady", MaxOf(window, g => g.SteadyVramTempC), "C", "no memory temperature reported (most GeForce cards do not offer it through NVML)");
        Add(null, "sm_clock", MeanOf(window, g => g.MeanSmClockMHz), "MHz", "no SM clock reported");
        Add(null, "mem_clock", MeanOf(window, g => g.MeanMemClockMHz), "MHz", "no memory clock reported");
        Add(null, "throttled_fraction", MeanOf(window, g => g.ThrottledFraction) * 100, "%", "no clock-event reasons reported");
        Add(null, "warmup", warmup.Seconds, "s", string.Empty);
        Add(null, "warmup_drift", warmup.DriftC, "C", "no temperature drift: the GPUs report no temperature, or the warm-up was shorter than the 30 s window it is fitted over");
        foreach (var g in window.Gpus)
        {
            double? gpuRate = throughput is not null && throughput.PerGpuUnitsPerS.TryGetValue(g.Gpu, out var r) ? r : null;
            var perGpu = "the workload counts work for the rig, not per GPU";
            Add(g.Gpu, "throughput", gpuRate, "units/s", why ?? perGpu);
            Add(g.Gpu, "power", g.AveragePowerW, "W", "no power reported");
            Add(g.Gpu, "energy", g.EnergyJ, "J", noEnergy);
            Add(g.Gpu, "energy_per_unit", gpuRate is > 0 && g.EnergyJ is { } ge ? ge / (gpuRate.Value * window.ElapsedS) : null, "J", why ?? perGpu);
            Add(g.Gpu, "core_temp_peak", g.PeakCoreTempC, "C", "no core temperature reported");
            Add(g.Gpu, "core_temp_steady", g.SteadyCoreTempC, "C", "no core temperature reported");
            Add(g.Gpu, "vram_temp_peak", g.PeakVramTempC, "C", "no memory temperature reported");
            Add(g.Gpu, "vram_temp_steady", g.SteadyVramTempC, "C", "no memory temperature reported");
            Add(g.Gpu, "sm_clock", g.MeanSmClockMHz, "MHz", "no SM clock reported");
            Add(g.Gpu, "mem_clock", g.MeanMemClockMHz, "MHz", "no memory clock reported");
            Add(g.Gpu, "throttled_fraction", g.ThrottledFraction * 100, "%", "no clock-event reasons reported");
        }

        for (var i = 0; i < rig.Psus.Count; i++)
        {
            var psu = rig.Psus[i];
            var fed = psu.FeedsGpus.Select(gi => window.Gpus.FirstOrDefault(g => g.Gpu == gi)?.AveragePowerW ?? capW).Sum();
            var pp = new Dictionary<string, string> { ["cap_w"] = label, ["psu"] = i.ToString(CultureInfo.InvariantCulture) };
            var load = fed + psu.OtherLoadW;
            rows.Add(ResultRow.Ok(Experiment, PsuCase, null, null, "load", load, "W", source, pp) with { Note = psu.Name });
            rows.Add(ResultRow.Ok(Experiment, PsuCase, null, null, "headroom", psu.RatingW - load, "W", source, pp) with { Note = psu.Name });
        }

        return new CapResult(label, capW, window, throughput, power, energy, perUnit, cost, rows) { Warmup = warmup };
    }

    private static double? MaxOf(TelemetryWindowReport w, Func<GpuWindowStatistics, double?> read)
    {
        var values = w.Gpus.Select(read).Where(v => v is not null).Select(v => v!.Value).ToList();
        return values.Count == 0 ? null : values.Max();
    }

    private static double? MeanOf(TelemetryWindowReport w, Func<GpuWindowStatistics, double?> read)
    {
        var values = w.Gpus.Select(read).Where(v => v is not null).Select(v => v!.Value).ToList();
        return values.Count == 0 ? null : values.Average();
    }

    private static double Pct(double value, double baseline) => (value / baseline - 1) * 100;

    /// <summary>"−2.4" / "+1.0" with a real minus sign.</summary>
    internal static string Signed(double pct) =>
        (pct < 0 ? "\u2212" : "+") + Math.Abs(pct).ToString("0.0", CultureInfo.InvariantCulture);

    internal static string F(double w) => w.ToString("0.#", CultureInfo.InvariantCulture);

    internal static string JsonName(CapSelector s) => s switch
    {
        CapSelector.LowestEnergy => "lowestEnergy",
        CapSelector.Fastest => "fastest",
        CapSelector.Zeus => "zeus",
        CapSelector.Slowdown => "slowdown",
        _ => s.ToString(),
    };
}
