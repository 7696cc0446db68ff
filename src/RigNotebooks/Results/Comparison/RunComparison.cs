using System.Text.Json.Serialization;

namespace RigNotebooks.Results.Comparison;

/// <summary>Runs of one experiment lined up row by row, with deltas against the first run (the baseline), the environment
/// differences that could explain them, and warnings (mixed sources, unreadable rows, runs that did not complete).</summary>
public sealed record RunComparison(
    string Experiment,
    IReadOnlyList<ComparedRun> Runs,
    IReadOnlyList<ComparedRow> Rows,
    IReadOnlyList<EnvironmentDifference> Environment,
    IReadOnlyList<string> Warnings)
{
    [JsonIgnore]
    public ComparedRun Baseline => Runs[0];

    /// <summary>The rows where something differs from the baseline.</summary>
    [JsonIgnore]
    public IEnumerable<ComparedRow> ChangedRows => Rows.Where(r => r.Changed);

    /// <summary>True when runs of different sources (measured, simulated, imported) are being compared.</summary>
    public bool MixesSources => Environment.Any(e => e.Category == DifferenceCategory.Source) || Rows.Any(r => r.MixedSources);

    /// <summary>Every value of every run as a flat table for charts; see <see cref="ComparisonPoint"/>.</summary>
    [JsonIgnore]
    public IReadOnlyList<ComparisonPoint> Points =>
        Rows.SelectMany(row => row.Values.Where(v => v.Present).Select(v => new ComparisonPoint(
            row.Key.Label,
            row.Key.Case,
            row.Key.Gpu,
            row.Key.Peer,
            row.Key.Metric,
            row.Key.Params,
            v.Unit ?? row.Unit,
            v.RunIndex,
            Runs[v.RunIndex].Id,
            Runs[v.RunIndex].Label,
            v.Source,
            v.Status,
            v.Value,
            v.DeltaAbs,
            v.DeltaRel,
            row.MixedSources || row.UnitMismatch))).ToList();
}
