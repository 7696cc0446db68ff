using RigNotebooks.Model;

namespace RigNotebooks.Results.Comparison;

/// <summary>One value of one run in a comparison, flat, for charts: a tidy table with one point per (row, run).
/// Grouped bars: x = <see cref="Series"/>, colour = <see cref="RunLabel"/>, y = <see cref="Value"/> (in <see cref="Unit"/>).
/// Change chart: the points with <see cref="RunIndex"/> &gt; 0, y = <see cref="DeltaRel"/> × 100 (%).</summary>
/// <param name="Series">The row's label (<see cref="RowKey.Label"/>): the same for the same row in every run.</param>
public sealed record ComparisonPoint(
    string Series,
    string Case,
    int? Gpu,
    int? Peer,
    string Metric,
    string Params,
    string Unit,
    int RunIndex,
    string RunId,
    string RunLabel,
    DataSource? Source,
    RowStatus? Status,
    double? Value,
    double? DeltaAbs,
    double? DeltaRel,
    bool Flagged);
