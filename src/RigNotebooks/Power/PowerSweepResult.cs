using System.Globalization;
using RigNotebooks.Doctor;
using RigNotebooks.Results;
using RigNotebooks.Telemetry;
using RigNotebooks.Workloads;

namespace RigNotebooks.Power;

/// <summary>What a sweep measured at one cap.</summary>
/// <param name="CapLabel">The cap as written in the rows' <c>cap_w</c>: the watts, or <c>current</c> when a dry run found mixed limits.</param>
/// <param name="CapW">The cap in watts (for a dry run with mixed limits, the highest limit in force).</param>
/// <param name="EnergyPerUnitJ">All GPUs' energy over the measured window divided by the work done in it.</param>
/// <param name="Rows">The rows written for this cap (the "row set" of the cap).</param>
public sealed record CapResult(
    string CapLabel,
    double CapW,
    TelemetryWindowReport Window,
    WorkThroughput? Throughput,
    double? TotalPowerW,
    double? EnergyJ,
    double? EnergyPerUnitJ,
    double? Cost,
    IReadOnlyList<ResultRow> Rows)
{
    /// <summary>How the cap was warmed up before its window (null when the sweep did not say, e.g. a result built by hand).</summary>
    public CapWarmup? Warmup { get; init; }

    public CapPoint? AsPoint() =>
        Throughput is { UnitsPerS: > 0 } t && EnergyPerUnitJ is { } e ? new CapPoint(CapW, t.UnitsPerS, e) : null;
}

/// <summary>The warm-up before a cap's measured window.</summary>
/// <param name="Seconds">How long it lasted (the rig's clock).</param>
/// <param name="Fixed">True for a fixed warm-up (<c>--warmup-s</c>); false when it ran until the temperatures settled.</param>
/// <param name="DriftC">The largest core or VRAM temperature drift over the warm-up's last <see cref="PowerSweepSpec.SteadyWindowS"/>
/// seconds, in °C; null when the GPUs report no temperature or the warm-up was shorter than that window.</param>
/// <param name="Steady">Whether the drift was under <see cref="PowerSweepSpec.SteadyDriftC"/>; null when it could not be judged.</param>
public sealed record CapWarmup(double Seconds, bool Fixed, double? DriftC, bool? Steady);

/// <summary>The chosen cap against the baseline (the highest cap measured).</summary>
public sealed record CapRecommendation(
    double CapW,
    CapSelector Selector,
    string Rule,
    double BaselineCapW,
    double ThroughputChangePct,
    double EnergyPerUnitChangePct,
    double PowerChangePct,
    string Headline);

/// <summary>Everything a sweep produced.</summary>
public sealed record PowerSweepResult(
    SweepPlan Plan,
    bool DryRun,
    string WorkloadName,
    string WorkUnit,
    bool SimulatedTime,
    IReadOnlyList<CapResult> Caps,
    IReadOnlyDictionary<string, double?> Selections,
    CapRecommendation? Recommendation,
    IReadOnlyList<Finding> Findings,
    PowerRestoreReport? Restore,
    IReadOnlyList<string> Notes)
{
    /// <summary>The run's summary: caps, workload, the recommendation, each selector's pick and how the limits were put back.</summary>
    public IReadOnlyDictionary<string, string> Summary()
    {
        var summary = new Dictionary<string, string>
        {
            ["caps"] = string.Join(",", Caps.Select(c => c.CapLabel)),
            ["workload"] = WorkloadName,
            ["workUnit"] = WorkUnit,
            ["dryRun"] = DryRun ? "true" : "false",
            ["simulatedTime"] = SimulatedTime ? "true" : "false",
        };
        if (Recommendation is { } rec)
        {
            summary["recommendedCapW"] = rec.CapW.ToString(CultureInfo.InvariantCulture);
            summary["recommendation"] = rec.Headline;
        }

        foreach (var (name, cap) in Selections)
        {
            if (cap is { } value)
            {
                summary[$"select.{name}"] = value.ToString(CultureInfo.InvariantCulture);
            }
        }

        if (Restore is { } restored)
        {
            summary["restore"] = restored.Describe();
        }

        return summary;
    }

    /// <summary>Ends <paramref name="run"/>: failed when a limit could not be put back (the measured rows stay), else complete.</summary>
    public void EndRun(RunWriter run)
    {
        if (Restore is { AllRestored: false })
        {
            run.Fail($"restoring the limits failed: {Restore.Describe()}", Findings);
        }
        else
        {
            run.Complete(Summary(), Findings);
        }
    }
}

/// <summary>Where a sweep is, for progress displays.</summary>
public sealed record PowerSweepProgress(int CapIndex, int CapCount, string CapLabel, string Phase, double PhaseS, CapResult? Finished);
