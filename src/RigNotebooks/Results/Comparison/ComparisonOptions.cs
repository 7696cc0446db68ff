namespace RigNotebooks.Results.Comparison;

/// <summary>How runs are lined up.</summary>
/// <param name="IgnoreParams">Parameter keys left out of the row key, e.g. <c>t_s</c> for telemetry sampled at slightly
/// different times, or a key one run varied and the other did not (rows.csv records only keys that vary within a run).</param>
/// <param name="Labels">Names for the runs in tables and charts, in run order; by default each run's tags, else its rig.</param>
public sealed record ComparisonOptions(IReadOnlyCollection<string>? IgnoreParams = null, IReadOnlyList<string>? Labels = null)
{
    public static ComparisonOptions Default { get; } = new();
}
