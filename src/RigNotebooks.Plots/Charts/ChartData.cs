using System.Globalization;
using RigNotebooks.Model;
using RigNotebooks.Results;

namespace RigNotebooks.Plots;

/// <summary>The rows a chart draws and where they came from. Build one from runs (<see cref="From(LoadedRun[])"/>) or
/// from rows you made yourself (<see cref="FromRows"/>); the rig ids only label the chart.</summary>
public sealed record ChartData(IReadOnlyList<ResultRow> Rows, IReadOnlyList<string> RigIds, IReadOnlyDictionary<string, string> Summary)
{
    public static ChartData From(params LoadedRun[] runs) => From((IEnumerable<LoadedRun>)runs);

    public static ChartData From(IEnumerable<LoadedRun> runs)
    {
        var list = runs.ToList();
        var summary = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var run in list)
        {
            foreach (var (k, v) in run.Record.Summary)
            {
                summary.TryAdd(k, v);
            }
        }

        return new ChartData(list.SelectMany(r => r.Rows).ToList(), list.Select(r => r.Record.Rig.RigId).Distinct().ToList(), summary);
    }

    public static ChartData FromRows(IEnumerable<ResultRow> rows, string? rigId = null, IReadOnlyDictionary<string, string>? summary = null) =>
        new(rows.ToList(), rigId is null ? [] : [rigId], summary ?? new Dictionary<string, string>());

    public IEnumerable<ResultRow> Where(string experiment, string? @case = null, string? metric = null) =>
        Rows.Where(r => r.Experiment == experiment && (@case is null || r.Case == @case) && (metric is null || r.Metric == metric));

    /// <summary>The banner and subtitle that say where the numbers came from; simulated data is always labelled.</summary>
    public (string? Banner, string Subtitle) Provenance(IEnumerable<ResultRow> drawn)
    {
        var sources = drawn.Select(r => r.Source).Distinct().Order().ToList();
        var rigs = RigIds.Count == 0 ? "" : " on " + string.Join(", ", RigIds);
        return sources switch
        {
            [] => (null, "no data" + rigs),
            [DataSource.Simulated] => ("SIMULATED DATA", "simulated" + rigs + " — a model of the rig, not a measurement"),
            [DataSource.Measured] => (null, "measured" + rigs),
            [DataSource.Imported] => (null, "imported from another tool's output" + rigs),
            _ when sources.Contains(DataSource.Simulated) => ("MIXED: SIMULATED + " + string.Join(" + ", sources.Where(s => s != DataSource.Simulated).Select(s => s.ToString().ToUpperInvariant())),
                "mixed sources" + rigs + ": simulated points are a model, not measurements"),
            _ => (null, string.Join(" + ", sources.Select(s => s.ToString().ToLowerInvariant())) + rigs),
        };
    }

    internal static double? Number(string? text) =>
        text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    internal static double? Param(ResultRow row, string key) => Number(row.Parameter(key));
}
