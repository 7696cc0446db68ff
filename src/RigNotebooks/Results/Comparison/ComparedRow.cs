using RigNotebooks.Model;

namespace RigNotebooks.Results.Comparison;

/// <summary>One metric lined up across the runs, with its deltas against the baseline (run 0).</summary>
/// <param name="Unit">The unit, when every run that has the row agrees on it; else the baseline's (see <see cref="UnitMismatch"/>).</param>
/// <param name="Values">One entry per run, in run order; <see cref="ComparedValue.Present"/> is false where a run lacks the row.</param>
/// <param name="MixedSources">The runs' values come from different sources (measured vs simulated vs imported).</param>
/// <param name="StatusChanged">The row's status differs between runs (ok in one, hung or waived in another), or a run lacks it.</param>
/// <param name="UnitMismatch">The runs give the row in different units; no delta is computed.</param>
public sealed record ComparedRow(
    RowKey Key,
    string Unit,
    IReadOnlyList<ComparedValue> Values,
    bool MixedSources,
    bool StatusChanged,
    bool UnitMismatch)
{
    /// <summary>True when anything differs from the baseline: a value, a status, presence, or the unit.</summary>
    public bool Changed => StatusChanged || UnitMismatch || Values.Any(v => v.DeltaAbs is { } d && d != 0);

    /// <summary>The largest relative change against the baseline, as a fraction (0.1 = 10 %), or null when none can be computed.</summary>
    public double? LargestRelativeDelta =>
        Values.Where(v => v.DeltaRel is not null).Select(v => v.DeltaRel!.Value).DefaultIfEmpty(double.NaN).MaxBy(Math.Abs) is var m && !double.IsNaN(m) ? m : null;
}

/// <summary>One run's value of a compared row.</summary>
/// <param name="Value">The value, when the row is present, ok, and finite; else null.</param>
/// <param name="DeltaAbs">Value minus the baseline's value, in the row's unit; null for the baseline itself or when either is missing.</param>
/// <param name="DeltaRel">DeltaAbs over the baseline's magnitude (0.1 = +10 %); null when the baseline is 0 and the value is not.</param>
public sealed record ComparedValue(
    int RunIndex,
    bool Present,
    double? Value,
    string? Unit,
    RowStatus? Status,
    DataSource? Source,
    double? DeltaAbs,
    double? DeltaRel,
    string? Note);
