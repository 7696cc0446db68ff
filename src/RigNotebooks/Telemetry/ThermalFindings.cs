using RigNotebooks.Data;
using RigNotebooks.Doctor;
using RigNotebooks.Model;
using RigNotebooks.Power;

namespace RigNotebooks.Telemetry;

/// <summary>What one telemetry window says about heat: VRAM near (or at) its throttle point, clocks held back by heat
/// or the board, and which GPU runs hottest with its place in the airflow. The per-cap version of these is part of
/// <see cref="PowerSweepFindings"/>; this one reads a single window, e.g. a monitor run under load.</summary>
public static class ThermalFindings
{
    private const ulong HeatOrBoard = (ulong)(ClockEventReasons.HwSlowdown | ClockEventReasons.SwThermalSlowdown | ClockEventReasons.HwThermalSlowdown | ClockEventReasons.HwPowerBrakeSlowdown);

    public static IReadOnlyList<Finding> Of(RigDescription rig, ReferenceData data, TelemetryWindowReport window)
    {
        ArgumentNullException.ThrowIfNull(rig);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(window);
        var findings = new List<Finding>();
        var over = $"over {window.ElapsedS:0} s";
        foreach (var g in window.Gpus.Where(g => g.PeakVramTempC is not null && g.Gpu < rig.Gpus.Count))
        {
            var throttleC = data.FindGpu(rig.Gpus[g.Gpu].Name)?.VramThrottleC;
            var peak = g.PeakVramTempC!.Value;
            if (throttleC is null || peak < throttleC - PowerSweepFindings.VramMarginC)
            {
                continue;
            }

            findings.Add(new Finding(
                "vram-near-throttle",
                peak >= throttleC ? Severity.Error : Severity.Warning,
                peak >= throttleC
                    ? $"GPU {g.Gpu} VRAM reached {peak:0} °C, at its {throttleC:0} °C throttle point"
                    : $"GPU {g.Gpu} VRAM reached {peak:0} °C, {throttleC - peak:0} °C from its {throttleC:0} °C throttle point",
                $"Peak memory-junction temperatures {over}: {string.Join(", ", window.Gpus.Select(x => $"GPU {x.Gpu} {T(x.PeakVramTempC)}"))}; GPU {g.Gpu} steady at {T(g.SteadyVramTempC)}.",
                "Replace the memory thermal pads, add airflow over the backplate, or run a lower cap; GDDR6X throttles at its limit and ages faster near it.",
                ["REFERENCE.md §1: VRAM at 104 °C, throttling at 110 °C, read with the gddr6 tool"]));
        }

        var slowed = window.Gpus.Where(g => (g.ReasonsSeen & HeatOrBoard) != 0).ToList();
        if (slowed.Count > 0)
        {
            var reasons = ClockEventReasonsText.Decode(slowed.Aggregate(0UL, (all, g) => all | (g.ReasonsSeen & HeatOrBoard)));
            findings.Add(new Finding(
                "throttle-heat-or-board",
                Severity.Warning,
                $"GPUs slowed down by heat or the board ({string.Join(", ", reasons)})",
                $"{string.Join("; ", slowed.Select(g => $"GPU {g.Gpu}: {(g.ThrottledFraction ?? 0) * 100:0} % of samples throttled"))} {over}.",
                "Improve cooling (airflow, spacing, fan curve; on GDDR6X cards, thermal pads) or lower the cap; a power-brake slowdown points at the PSU and its cables.",
                ["NVML clock-event reasons: 0x8 HW slowdown, 0x20 SW thermal, 0x40 HW thermal, 0x80 power brake (REFERENCE.md §2)"]));
        }

        var measured = window.Gpus.Where(g => g.PeakVramTempC is not null || g.PeakCoreTempC is not null).ToList();
        if (measured.Count >= 2)
        {
            var hottest = HottestGpus.Of(measured.Select(g => (g.Gpu, g.PeakCoreTempC, g.PeakVramTempC)).ToList());
            findings.Add(new Finding(
                "hottest-gpu",
                Severity.Hint,
                HottestGpus.Title(rig, hottest),
                $"Peak temperatures {over}: {string.Join("; ", measured.Select(g => $"GPU {g.Gpu}: core {T(g.PeakCoreTempC)}, VRAM {T(g.PeakVramTempC)}"))}." +
                (rig.Cooling is { } c ? $" Cooling: {c.Layout}." : string.Empty),
                "Give the downstream card more space or a fan of its own, or swap the hottest card's place if it is also the one with the worst pads."));
        }

        return [.. findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Code, StringComparer.Ordinal)];
    }

    private static string T(double? c) => c is { } v ? $"{v:0} °C" : "n/a";
}
