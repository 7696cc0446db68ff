using RigNotebooks.Plots.Spec;
using RigNotebooks.Results;

namespace RigNotebooks.Plots;

public static partial class Charts
{
    /// <summary>The headline cost metric of the <c>cost</c> rows.</summary>
    public const string CostMetric = "eur_per_million_tokens";

    /// <summary>Owning against renting (<c>cost</c> rows): EUR per million tokens, one bar for owning and one per rented
    /// offer (the <c>offer</c> parameter). A bar is split into parts when rows give them (<c>eur_per_million_tokens_&lt;part&gt;</c>);
    /// otherwise owning is split into electricity and the rest by <c>electricity_eur_per_hour</c> / <c>eur_per_hour</c>.
    /// Totals are written above the bars, with each offer's break-even time when a row gives it.</summary>
    public static Figure CostBreakdown(ChartData data, string title = "Cost per million tokens: own vs rent")
    {
        var rows = data.Where("cost").ToList();
        var totals = rows.Where(r => r.Metric == CostMetric).ToList();
        if (totals.Count == 0)
        {
            return Empty(title, "no cost rows", data);
        }

        static string Bar(ResultRow r) => r.Parameter("offer") is { } offer ? $"{r.Case}: {offer}" : r.Case;
        var bars = totals.Select(Bar).Distinct().OrderBy(b => b.StartsWith("own", StringComparison.Ordinal) ? 0 : 1).ThenBy(b => b, StringComparer.Ordinal).ToList();
        double? Get(string bar, string metric) => rows.Where(r => Bar(r) == bar && r.Metric == metric).Select(Value).FirstOrDefault(v => v is not null);

        // Parts per bar: explicit part rows, else owning split by its electricity share, else the total as one part.
        var parts = new Dictionary<string, Dictionary<string, double?>>(StringComparer.Ordinal);
        foreach (var bar in bars)
        {
            var explicitParts = rows.Where(r => Bar(r) == bar && r.Metric.StartsWith(CostMetric + "_", StringComparison.Ordinal)).ToList();
            var total = Get(bar, CostMetric);
            var split = new Dictionary<string, double?>(StringComparer.Ordinal);
            if (explicitParts.Count > 0)
            {
                foreach (var p in explicitParts)
                {
                    split[p.Metric[(CostMetric.Length + 1)..].Replace('_', ' ')] = Value(p);
                }
            }
            else if (bar.StartsWith("own", StringComparison.Ordinal) && total is { } t && Get(bar, "electricity_eur_per_hour") is { } elec && Get(bar, "eur_per_hour") is { } perHour && perHour > 0)
            {
                split["electricity"] = t * elec / perHour;
                split["hardware and the rest"] = t - (t * elec / perHour);
            }
            else
            {
                split[bar.StartsWith("rent", StringComparison.Ordinal) ? "rental" : "total"] = total;
            }

            parts[bar] = split;
        }

        var x = Objects(bars);
        var names = parts.Values.SelectMany(p => p.Keys).Distinct().ToList();
        var traces = names.Select((name, i) => new TraceSpec("bar", name, x, Objects(bars.Select(b => parts[b].GetValueOrDefault(name))), Color: Palette.Series(i))).ToList();
        var notes = new List<AnnotationSpec>();
        foreach (var bar in bars)
        {
            if (Get(bar, CostMetric) is { } t)
            {
                var breakeven = Get(bar, "breakeven_months");
                notes.Add(new AnnotationSpec(bar, t, $"€{Fmt(t, "F2")}" + (breakeven is { } m ? $"<br>owning breaks even after {Fmt(m, "F1")} months" : ""), YAnchor: "bottom", Size: 12));
            }
        }

        var (banner, subtitle) = data.Provenance(rows);
        var panel = new PanelSpec(null, new AxisSpec("", "category"), new AxisSpec("Cost (EUR per million tokens)"), traces, Annotations: notes);
        return new Figure(new FigureSpec(title, subtitle, banner, 1, 1, [panel], Height: 460, BarMode: "stack"));
    }

    public static Figure CostBreakdown(params LoadedRun[] runs) => CostBreakdown(ChartData.From(runs));
}
