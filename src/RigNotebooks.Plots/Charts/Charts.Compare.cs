using RigNotebooks.Plots.Spec;
using RigNotebooks.Results;

namespace RigNotebooks.Plots;

public static partial class Charts
{
    /// <summary>One metric across runs as grouped bars: one group per point (case, GPU or pair, parameters), one bar per run,
    /// the median where a run has several values for a point. Runs are named by id, rig and source, so a simulated
    /// run is never mistaken for a measured one.</summary>
    public static Figure CompareRuns(IEnumerable<LoadedRun> runs, string metric, string? @case = null, string? title = null)
    {
        var list = runs.ToList();
        title ??= $"{metric} across runs";
        var data = ChartData.From(list);
        var chosen = list.Select(run => (Run: run, Rows: run.Rows.Where(r => r.Metric == metric && (@case is null || r.Case == @case)).ToList())).ToList();
        if (chosen.All(c => c.Rows.Count == 0))
        {
            return Empty(title, $"no '{metric}' rows", data);
        }

        static string Point(ResultRow r)
        {
            var where = r.Gpu is { } g ? r.Peer is { } p ? $"GPU {g}→{p}" : $"GPU {g}" : "rig";
            var parameters = string.Join(" ", r.Parameters.Where(p => p.Key != "t_s").OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
            return string.Join(" ", new[] { r.Case, where, parameters }.Where(s => s.Length > 0));
        }

        var points = chosen.SelectMany(c => c.Rows).Select(Point).Distinct().Order(StringComparer.Ordinal).ToList();
        var unit = chosen.SelectMany(c => c.Rows).Select(r => r.Unit).FirstOrDefault(u => u.Length > 0) ?? "";
        var traces = chosen.Select((c, i) => new TraceSpec("bar",
            $"{c.Run.Id} ({c.Run.Record.Rig.RigId}, {c.Run.Record.Source.ToString().ToLowerInvariant()})",
            Objects(points),
            Objects(points.Select(p =>
            {
                var values = c.Rows.Where(r => Point(r) == p).Select(Value).OfType<double>().ToList();
                return values.Count == 0 ? (double?)null : Median(values);
            })),
            Color: Palette.Series(i))).ToList();
        var (banner, subtitle) = data.Provenance(chosen.SelectMany(c => c.Rows));
        var panel = new PanelSpec(null, new AxisSpec("", "category"), new AxisSpec($"{metric} ({unit})"), traces);
        return new Figure(new FigureSpec(title, subtitle, banner, 1, 1, [panel], Height: 450, BarMode: "group"));
    }
}
