using RigNotebooks.Data;
using RigNotebooks.Doctor;
using RigNotebooks.Doctor.Budgets;
using RigNotebooks.Model;
using RigNotebooks.Telemetry;
using RigNotebooks.Workloads;

namespace RigNotebooks.Power;

/// <summary>What a sweep says in words: the recommended cap, each PSU's headroom across the caps and its transient risk,
/// throttling seen, VRAM near its throttle point, and the hottest GPU with its place in the airflow.</summary>
public static class PowerSweepFindings
{
    /// <summary>VRAM within this many degrees of its throttle temperature is worth a warning (REFERENCE.md §1: 104 °C, 6 °C from 110 °C).</summary>
    public const double VramMarginC = 10;

    public static IReadOnlyList<Finding> Build(
        RigDescription rig,
        ReferenceData data,
        SweepPlan plan,
        IReadOnlyList<CapResult> caps,
        CapRecommendation? recommendation,
        PowerSweepSpec spec,
        IWorkload workload,
        bool simulatedTime)
    {
        var findings = new List<Finding>();
        findings.AddRange(workload.Findings);
        if (recommendation is { } r)
        {
            var baseline = caps.First(c => c.CapW == r.BaselineCapW);
            var chosen = caps.First(c => c.CapW == r.CapW);
            findings.Add(new Finding(
                "power-cap-recommendation",
                Severity.Hint,
                r.Headline,
                $"Chosen by {r.Rule} among {caps.Count} caps ({string.Join(", ", caps.Select(c => c.CapLabel))} W) running {workload.Name}: " +
                $"{Rate(chosen, workload.Unit)} at {PowerSweep.F(r.CapW)} W against {Rate(baseline, workload.Unit)} at {PowerSweep.F(r.BaselineCapW)} W; " +
                $"energy per {workload.Unit} {Joules(chosen.EnergyPerUnitJ)} against {Joules(baseline.EnergyPerUnitJ)}; " +
                $"rig power {PowerSweep.Signed(r.PowerChangePct)} %." + (simulatedTime ? " Simulated." : string.Empty),
                $"Set it with `sudo nvidia-smi -pl {PowerSweep.F(r.CapW)}` (all GPUs; add -i N for one). A limit does not survive a reboot or a driver reload: re-apply it at boot (e.g. a systemd unit).",
                ["Zeus: power-limit optimisation by η·E + (1 − η)·MaxPower·T (REFERENCE.md §3)"]));
        }
        else if (caps.Count > 0)
        {
            findings.Add(new Finding(
                spec.DryRun ? "power-sweep-dry-run" : "power-cap-no-recommendation",
                Severity.Hint,
                spec.DryRun ? $"Dry run: {plan.CapsW.Count} caps planned, measured only at the limits in force now" : "No cap could be recommended",
                spec.DryRun
                    ? $"Planned {string.Join(", ", plan.CapsW.Select(PowerSweep.F))} W ({plan.How}) within {PowerSweep.F(plan.RangeMinW)}–{PowerSweep.F(plan.RangeMaxW)} W; measured at {caps[0].CapLabel} W: {Rate(caps[0], workload.Unit)}, energy per {workload.Unit} {Joules(caps[0].EnergyPerUnitJ)}."
                    : "Fewer than two caps have both a throughput and an energy figure.",
                spec.DryRun
                    ? "Run the sweep without --dry-run, as root, on a machine whose settings are yours to change."
                    : "Check that the workload reports its work (a regex or units per run) and that the GPUs report power or energy."));
        }

        findings.AddRange(Settling(caps, spec));
        findings.AddRange(Psu(rig, data, plan, caps, spec.DryRun));
        findings.AddRange(Throttling(caps));
        findings.AddRange(Thermals(rig, data, caps, plan.CurrentW.DefaultIfEmpty(double.PositiveInfinity).Max()));
        return findings;
    }

    private static IEnumerable<Finding> Psu(RigDescription rig, ReferenceData data, SweepPlan plan, IReadOnlyList<CapResult> caps, bool dryRun)
    {
        foreach (var psu in rig.Psus)
        {
            if (psu.FeedsGpus.Count == 0)
            {
                continue;
            }

            var gpuList = $"GPU {string.Join(", ", psu.FeedsGpus)}";
            var capsToShow = dryRun ? plan.CapsW : caps.Select(c => c.CapW).ToList();
            var byCap = capsToShow.Select(cap =>
            {
                var measured = caps.FirstOrDefault(c => c.CapW == cap);
                var avg = measured is null ? null : (double?)psu.FeedsGpus.Sum(i => measured.Window.Gpus.FirstOrDefault(g => g.Gpu == i)?.AveragePowerW ?? cap);
                var worst = psu.RatingW - psu.OtherLoadW - (psu.FeedsGpus.Count * cap);
                return (Cap: cap, WorstCaseHeadroom: worst, MeasuredHeadroom: avg is { } a ? psu.RatingW - psu.OtherLoadW - a : (double?)null);
            }).ToList();

            var table = string.Join("; ", byCap.Select(b => $"{PowerSweep.F(b.Cap)} W caps: {PowerSweep.F(b.WorstCaseHeadroom)} W" +
                (b.MeasuredHeadroom is { } m && Math.Abs(m - b.WorstCaseHeadroom) >= 5 ? $" ({PowerSweep.F(m)} W at the measured average power)" : string.Empty)));
            var over = byCap.Where(b => b.WorstCaseHeadroom < 0).ToList();
            if (over.Count > 0)
            {
                yield return new Finding(
                    "psu-overloaded-at-cap",
                    Severity.Warning,
                    $"{psu.Name} is overloaded at caps of {string.Join(", ", over.Select(o => PowerSweep.F(o.Cap)))} W",
                    $"{psu.Name} ({PowerSweep.F(psu.RatingW)} W, {PowerSweep.F(psu.OtherLoadW)} W other load) feeds {gpuList}: {table}.",
                    $"Keep the caps at or below {PowerSweep.F(byCap.Where(b => b.WorstCaseHeadroom >= 0).Select(b => b.Cap).DefaultIfEmpty(plan.RangeMinW).Max())} W with this wiring, or move a card to another unit.");
            }
            else
            {
                yield return new Finding(
                    "psu-headroom-by-cap",
                    Severity.Hint,
                    $"{psu.Name}: headroom at each cap",
                    $"{psu.Name} ({PowerSweep.F(psu.RatingW)} W, {PowerSweep.F(psu.OtherLoadW)} W other load) feeds {gpuList}; headroom with every card at its cap: {table}.",
                    "No action needed for average load.");
            }

            var peaks = psu.FeedsGpus.Select(i => data.FindGpu(rig.Gpus[i].Name)?.TransientPeakW).ToList();
            if (peaks.All(p => p is not null))
            {
                var spike = peaks.Sum(p => p!.Value) + psu.OtherLoadW;
                if (spike > psu.RatingW)
                {
                    yield return new Finding(
                        "psu-transient-risk",
                        Severity.Warning,
                        $"{psu.Name}: simultaneous GPU spikes can exceed its rating at every cap",
                        $"{gpuList} can spike to about {PowerSweep.F(peaks[0]!.Value)} W{(peaks.Count > 1 ? " each" : string.Empty)} for milliseconds whatever the cap{PsuBudget.TransientSum(peaks.Count, psu.OtherLoadW, spike, psu.RatingW)}. A power limit caps the average, not these spikes.",
                        "Use a unit built for transients (ATX 3.x, or rated well above the sum of caps), feed fewer cards per unit, or keep the caps and watch for shutdowns under load.",
                        ["REFERENCE.md §1: '3090 are known to create power spike to 600w' (anecdotal)"]);
                }
            }
        }
    }

    private static IEnumerable<Finding> Throttling(IReadOnlyList<CapResult> caps)
    {
        // The power cap holding the clocks down is what a cap is for; the other reasons mean heat or the board stepped in.
        foreach (var (bit, name) in ClockEventReasonsText.Slowdowns)
        {
            var seen = caps.SelectMany(c => c.Window.Gpus
                    .Where(g => g.ReasonFractions.TryGetValue(name, out var f) && f > 0)
                    .Select(g => (Cap: c.CapLabel, g.Gpu, Fraction: g.ReasonFractions[name])))
                .ToList();
            if (seen.Count == 0)
            {
                continue;
            }

            // One clause per cap: "325 W: all GPUs 100 %" or "350 W: GPU 2 40 %, GPU 1 10 %".
            var gpuCount = caps.Max(c => c.Window.Gpus.Count);
            var where = string.Join("; ", seen.GroupBy(s => s.Cap).Select(g =>
            {
                var shares = g.Select(s => (s.Gpu, Pct: Math.Round(s.Fraction * 100))).ToList();
                return shares.Count == gpuCount && shares.Select(x => x.Pct).Distinct().Count() == 1
                    ? $"{g.Key} W: all GPUs {shares[0].Pct:0} % of samples"
                    : $"{g.Key} W: {string.Join(", ", shares.Select(x => $"GPU {x.Gpu} {x.Pct:0} %"))} of samples";
            }));
            yield return bit == ClockEventReasons.SwPowerCap
                ? new Finding("throttle-power-cap", Severity.Hint, "The power cap held the clocks down (expected under a cap)",
                    where, "None: this is the cap at work.", ["NVML clock-event reasons: 0x4 SW power cap (REFERENCE.md §2)"])
                : new Finding($"throttle-{name.Replace('_', '-')}", Severity.Warning, $"GPUs slowed down by {ClockEventReasonsText.Describe(bit)}",
                    where,
                    bit is ClockEventReasons.HwPowerBrakeSlowdown
                        ? "The board's power-brake input fired: check the PSU and its cables (one cable per 8-pin, no daisy chains)."
                        : "Improve cooling (airflow, spacing, fan curve; on GDDR6X cards, thermal pads) or lower the cap.",
                    ["NVML clock-event reasons: 0x8 HW slowdown, 0x20 SW thermal, 0x40 HW thermal, 0x80 power brake (REFERENCE.md §2)"]);
        }
    }

    /// <summary>Caps measured before their temperatures had settled: their temperatures (and, where heat throttles, their
    /// throughput) are not what the cap gives in the long run.</summary>
    private static IEnumerable<Finding> Settling(IReadOnlyList<CapResult> caps, PowerSweepSpec spec)
    {
        var unsettled = caps.Where(c => c.Warmup is { Steady: false }).ToList();
        if (unsettled.Count == 0)
        {
            yield break;
        }

        var fixedWarmup = unsettled.All(c => c.Warmup!.Fixed);
        var where = string.Join("; ", unsettled.Select(c => $"{c.CapLabel} W: {c.Warmup!.DriftC:0.0} °C over the last {PowerSweepSpec.SteadyWindowS:0} s of a {c.Warmup.Seconds:0} s warm-up"));
        yield return new Finding(
            "power-sweep-not-steady",
            fixedWarmup ? Severity.Hint : Severity.Warning,
            $"Temperatures were still moving when {(unsettled.Count == 1 ? $"the {unsettled[0].CapLabel} W cap was" : $"{unsettled.Count} caps were")} measured",
            $"Drift (a line fitted to each GPU's core and VRAM temperature, the largest): {where}. Settled means under {PowerSweepSpec.SteadyDriftC:0.0} °C per {PowerSweepSpec.SteadyWindowS:0} s; " +
            "the peak and steady temperatures of these caps are below what they reach in the long run, and a cap measured while its VRAM still climbs toward a throttle point reads faster than it stays.",
            fixedWarmup
                ? "Leave out --warmup-s: the sweep then warms up each cap until its temperatures settle."
                : $"Raise --max-warmup-s (now {spec.MaxWarmupS:0} s), or look at the cooling: a card still heating after that long is badly ventilated.");
    }

    /// <param name="inForceW">The highest limit in force before the sweep: VRAM at its throttle point at a cap up to this is
    /// how the rig runs now (an error); above it, it is what a higher cap would do (a warning, and a reason not to pick it).</param>
    private static IEnumerable<Finding> Thermals(RigDescription rig, ReferenceData data, IReadOnlyList<CapResult> caps, double inForceW)
    {
        // Steady values (the mean of each window's last third) speak for the cap; the peak is a moment of it. The peak
        // stands in where a window has no steady value.
        static double? SteadyVram(GpuWindowStatistics s) => s.SteadyVramTempC ?? s.PeakVramTempC;
        static double? SteadyCore(GpuWindowStatistics s) => s.SteadyCoreTempC ?? s.PeakCoreTempC;
        var perGpu = caps.SelectMany(c => c.Window.Gpus.Select(g => (Cap: c, Stats: g))).ToList();
        foreach (var group in perGpu.GroupBy(x => x.Stats.Gpu))
        {
            var gpu = rig.Gpus[group.Key];
            var throttleC = data.FindGpu(gpu.Name)?.VramThrottleC;
            var withVram = group.Where(x => SteadyVram(x.Stats) is not null).ToList();
            if (throttleC is null || withVram.Count == 0)
            {
                continue;
            }

            var hottest = withVram.MaxBy(x => SteadyVram(x.Stats)!.Value);
            var steady = SteadyVram(hottest.Stats)!.Value;
            if (steady < throttleC - VramMarginC)
            {
                continue;
            }

            var cool = withVram.Where(x => SteadyVram(x.Stats) < throttleC - VramMarginC).Select(x => x.Cap.CapW).DefaultIfEmpty().Max();
            var throttlesAsItRuns = withVram.Any(x => x.Cap.CapW <= inForceW + 1e-9 && SteadyVram(x.Stats) >= throttleC - 0.5);
            yield return new Finding(
                "vram-near-throttle",
                throttlesAsItRuns ? Severity.Error : Severity.Warning,
                steady >= throttleC - 0.5
                    ? $"GPU {gpu.Index} VRAM settles at {steady:0} °C at {hottest.Cap.CapLabel} W, at its {throttleC:0} °C throttle point"
                    : $"GPU {gpu.Index} VRAM settles at {steady:0} °C at {hottest.Cap.CapLabel} W, {throttleC - steady:0} °C from its {throttleC:0} °C throttle point",
                $"Steady memory-junction temperature per cap on GPU {gpu.Index} (peak in brackets): {string.Join(", ", withVram.Select(x => $"{x.Cap.CapLabel} W: {SteadyVram(x.Stats):0} °C ({T(x.Stats.PeakVramTempC)})"))}." +
                (cool > 0 ? $" At {PowerSweep.F(cool)} W it stayed more than {VramMarginC:0} °C below." : string.Empty),
                "Replace the memory thermal pads, add airflow over the backplate, or run a lower cap; GDDR6X throttles at its limit and ages faster near it.",
                ["REFERENCE.md §1: VRAM at 104 °C, throttling at 110 °C, read with the gddr6 tool"]);
        }

        var byGpu = perGpu.GroupBy(x => x.Stats.Gpu)
            .Select(g => (Gpu: g.Key, Core: g.Max(x => SteadyCore(x.Stats)), Vram: g.Max(x => SteadyVram(x.Stats))))
            .Where(x => x.Core is not null || x.Vram is not null)
            .ToList();
        if (byGpu.Count >= 2)
        {
            var hottest = HottestGpus.Of(byGpu.Select(x => (x.Gpu, x.Core, x.Vram)).ToList());
            yield return new Finding(
                "hottest-gpu",
                Severity.Hint,
                HottestGpus.Title(rig, hottest),
                $"Steady temperatures, the highest over the sweep: {string.Join("; ", byGpu.Select(x => $"GPU {x.Gpu}: core {T(x.Core)}, VRAM {T(x.Vram)}"))}." +
                (rig.Cooling is { } c ? $" Cooling: {c.Layout}." : string.Empty),
                "Give the downstream card more space or a fan of its own, or swap the hottest card's place if it is also the one with the worst pads.");
        }
    }

    private static string Rate(CapResult c, string unit) => c.Throughput is { } t ? $"{t.UnitsPerS:0.###} {unit}/s" : "no throughput";

    private static string Joules(double? j) => j is { } v ? $"{v:0.###} J" : "unknown";

    private static string T(double? c) => c is { } v ? $"{v:0} °C" : "n/a";
}
