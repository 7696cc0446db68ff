using RigNotebooks.Plots.Spec;
using RigNotebooks.Results;

namespace RigNotebooks.Plots;

public static partial class Charts
{
    /// <summary>The headline cost metric of the <c>cost</c> rows; its parts are <c>eur_per_million_tokens_&lt;part&gt;</c>.</summary>
    public const string CostMetric = "eur_per_million_tokens";

    /// <summary>Owning against renting (<c>cost</c> rows, cases <c>own</c> / <c>rent</c>): cost per million tokens as stacked
    /// parts (<c>eur_per_million_tokens_energy</c>, <c>_hardware</c>, … — any metric with that prefix) or as the total alone,
    /// with the total written above each bar and the break-even time when a row gives it.</summary>
    public static Figure CostBreakdown(ChartData data, string title = "Cost per million tokens: own vs rent")
    {
        var rows = data.Where("cost").ToList();
        var cases = rows.Select(r => r.Case).Distinct().OrderBy(c => c == "own" ? 0 : c == "rent" ? 1 : 2).ThenBy(c => c, StringComparer.Ordinal).ToList();
        if (!rows.Any(r => r.Metric.StartsWith(CostMetric, StringComparison.Ordinal)))
        {
            return Empty(title, "no cost rows", data);
        }

        var x = Objects(cases);
        var parts = rows.Where(r => r.Metric.StartsWith(CostMetric + "_", StringComparison.Ordinal)).Select(r => r.Metric).Distinct().Order(StringComparer.Ordinal).ToList();
        double? Get(string @case, string metric) => rows.Where(r => r.Case == @case && r.Metric == metric).Select(Value).FirstOrDefault(v => v is not null);
        var traces = new List<TraceSpec>();
        if (parts.Count > 0)
        {
            for (var i = 0; i < parts.Count; i++)
            {
                var part = parts[i];
                traces.Add(new TraceSpec("bar", part[(CostMetric.Length + 1)..].Replace('_', ' '), x, Objects(cases.Select(c => Get(c, part))), Color: Palette.Series(i)));
            }
        }
        else
        {
            traces.Add(new TraceSpec("bar", "total", x, Objects(cases.Select(c => Get(c, CostMetric))), Color: Palette.Series(0)));
        }

        var notes = new List<AnnotationSpec>();
        foreach (var c in cases)
        {
            var total = Get(c, CostMetric) ?? (parts.Count > 0 ? parts.Select(p => Get(c, p) ?? 0).Sum() : null);
            if (total is { } t)
            {
                notes.Add(new AnnotationSpec(c, t, $"€{Fmt(t, "F2")}", YAnchor: "bottom", Size: 13));
            }
        }

        var breakeven = rows.FirstOrDefault(r => r.Metric == "breakeven_months" && r.Status == RowStatus.Ok);
        var (banner, subtitle) = data.Provenance(rows);
        if (breakeven is not null)
        {
            subtitle += $"; owning breaks even after {Fmt(breakeven.Value, "F1")} months";
        }

        var panel = new PanelSpec(null, new AxisSpec("", "category"), new AxisSpec("Cost (EUR per million tokens)"), traces, Annotations: notes);
        return new Figure(new FigureSpec(title, subtitle, banner, 1, 1, [panel], Height: 420, BarMode: "stack"));
    }

    public static Figure CostBreakdown(params LoadedRun[] runs) => CostBreakdown(ChartData.From(runs));
}
