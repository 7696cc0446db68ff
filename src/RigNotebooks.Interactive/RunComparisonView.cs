using RigNotebooks.Plots;
using RigNotebooks.Results.Comparison;

namespace RigNotebooks.Interactive;

/// <summary>What <see cref="RigKit.Compare(Results.LoadedRun, Results.LoadedRun, string?, string?, bool, ComparisonOptions?)"/>
/// shows in a notebook: the comparison (runs with their notes, deltas against run 1, environment differences) and a
/// chart of one metric across the runs. <see cref="Comparison"/> holds every row for further work.</summary>
/// <param name="Metric">The metric the chart draws.</param>
/// <param name="ChangedOnly">The table lists only the rows that differ from run 1.</param>
public sealed record RunComparisonView(RunComparison Comparison, Figure Chart, string Metric, bool ChangedOnly)
{
    /// <summary>The tables, then the chart (without plotly.js: the formatter adds it when the notebook has none yet).</summary>
    public string ToHtml() => ComparisonHtml.Of(Comparison, ChangedOnly) + Chart.ToHtml();

    public override string ToString() => ComparisonHtml.Text(Comparison) + $"\n[chart] {Chart.Title}";
}
