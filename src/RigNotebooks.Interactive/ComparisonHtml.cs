using System.Globalization;
using System.Text;
using RigNotebooks.Model;
using RigNotebooks.Plots;
using RigNotebooks.Results;
using RigNotebooks.Results.Comparison;

namespace RigNotebooks.Interactive;

/// <summary>A comparison of runs as HTML, the notebook's form of <c>rig runs compare</c>: the runs (with their tags and
/// notes), warnings, the rows with their deltas against run 1, and the environment differences that could explain them.
/// Mixed sources are marked with a red '!' and never shown without the comparison's warning.</summary>
public static class ComparisonHtml
{
    public const int MaxRows = 200;

    private const string Red = "color:#b00020";

    public static string Of(RunComparison comparison, bool changedOnly = false)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var html = new StringBuilder("<div class=\"rig-compare\">");
        html.Append("<b>").Append(Html.Text(comparison.Experiment)).Append("</b>: ")
            .Append(Html.Text(F($"{comparison.Runs.Count} runs, deltas against run 1")));
        Runs(html, comparison);
        foreach (var warning in comparison.Warnings)
        {
            html.Append("<div class=\"rig-warning\" style=\"").Append(Red).Append("\">warning: ").Append(Html.Text(warning)).Append("</div>");
        }

        Rows(html, comparison, changedOnly);
        Environment(html, comparison);
        return html.Append("</div>").ToString();
    }

    public static string Text(RunComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return F($"{comparison.Experiment}: {comparison.Runs.Count} runs ({string.Join(" vs ", comparison.Runs.Select(r => r.Id))}), ") +
            F($"{comparison.Rows.Count} rows lined up, {comparison.Rows.Count(r => r.Changed)} differ from run 1, ") +
            F($"{comparison.Environment.Count} environment difference(s)") +
            string.Concat(comparison.Runs.SelectMany(r => r.Notes.Select(n => F($"\n  note run {r.Index + 1}: {n.Text}")))) +
            string.Concat(comparison.Warnings.Select(w => $"\n  warning: {w}"));
    }

    private static void Runs(StringBuilder html, RunComparison comparison)
    {
        html.Append("<table class=\"rig-compare-runs\"><thead><tr>");
        Headers(html, ["#", "run", "label", "rig", "source", "status", "rows", "tags", "notes"]);
        html.Append("</tr></thead><tbody>");
        foreach (var r in comparison.Runs)
        {
            html.Append("<tr>");
            Cell(html, F($"{r.Index + 1}") + (r.Index == 0 ? " (base)" : string.Empty));
            Cell(html, r.Id);
            Cell(html, r.Label);
            Cell(html, r.RigId);
            html.Append(r.Source == DataSource.Simulated
                ? "<td><span style=\"" + Red + ";font-weight:bold\">simulated</span></td>"
                : "<td>" + Html.Text(Lower(r.Source)) + "</td>");
            Cell(html, Lower(r.Status) + (r.Provenance is { } p ? $" ({(p.Anonymized ? "anonymised " : string.Empty)}from {p.Archive})" : string.Empty));
            Cell(html, F($"{r.RowCount}"));
            Cell(html, string.Join(", ", r.Tags));
            html.Append("<td>");
            if (r.Notes.Count > 0)
            {
                html.Append("<ul class=\"rig-notes\">");
                foreach (var note in r.Notes)
                {
                    html.Append("<li><span style=\"color:#666\">").Append(Html.Text(note.TimeUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)))
                        .Append("</span> ").Append(Html.Text(note.Text)).Append("</li>");
                }

                html.Append("</ul>");
            }

            html.Append("</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void Rows(StringBuilder html, RunComparison comparison, bool changedOnly)
    {
        var rows = (changedOnly ? comparison.ChangedRows : comparison.Rows).ToList();
        html.Append("<div><b>rows</b>: ").Append(Html.Text(F($"{comparison.Rows.Count} lined up, {comparison.Rows.Count(r => r.Changed)} differ from run 1")))
            .Append(changedOnly ? " (showing those)" : string.Empty).Append("</div>");
        if (rows.Count == 0)
        {
            return;
        }

        html.Append("<table class=\"rig-compare-rows\"><thead><tr>");
        Headers(html, ["row", "unit", .. comparison.Runs.Select(r => $"{r.Index + 1}: {r.Label}"), .. comparison.Runs.Skip(1).Select(r => $"Δ {r.Index + 1} vs 1")]);
        html.Append("</tr></thead><tbody>");
        foreach (var row in rows.Take(MaxRows))
        {
            html.Append("<tr><td>");
            if (row.MixedSources || row.UnitMismatch)
            {
                html.Append("<span style=\"").Append(Red).Append("\" title=\"").Append(Html.Attribute(row.UnitMismatch ? "different units" : "mixed sources")).Append("\">!</span> ");
            }

            html.Append(Html.Text(row.Key.Label)).Append("</td>");
            Cell(html, row.UnitMismatch ? string.Join(" / ", row.Values.Where(v => v.Present).Select(v => v.Unit).Distinct()) : row.Unit);
            foreach (var v in row.Values)
            {
                html.Append("<td style=\"text-align:right\">").Append(Value(v)).Append("</td>");
            }

            foreach (var v in row.Values.Skip(1))
            {
                html.Append("<td style=\"text-align:right\">").Append(Html.Text(Delta(row.Values[0], v))).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
        if (rows.Count > MaxRows)
        {
            html.Append("<div>").Append(Html.Text(F($"… {rows.Count - MaxRows} more rows (pass changedOnly: true, or read Comparison.Rows)"))).Append("</div>");
        }
    }

    private static void Environment(StringBuilder html, RunComparison comparison)
    {
        if (comparison.Environment.Count == 0)
        {
            html.Append("<div><b>environment</b>: no differences (driver, CUDA, kernel command line, IOMMU, GPUs, links, power limits, rig, source, software and spec all match)</div>");
            return;
        }

        html.Append("<div><b>environment differences</b> that could explain the deltas (").Append(F($"{comparison.Environment.Count}")).Append(")</div>");
        html.Append("<table class=\"rig-compare-environment\"><thead><tr>");
        Headers(html, ["what", "field", .. comparison.Runs.Select(r => $"{r.Index + 1}: {r.Label}"), "change"]);
        html.Append("</tr></thead><tbody>");
        foreach (var d in comparison.Environment)
        {
            html.Append("<tr><td>");
            if (d.Flagged)
            {
                html.Append("<span style=\"").Append(Red).Append("\">!</span> ");
            }

            html.Append(Html.Text(Lower(d.Category))).Append("</td>");
            Cell(html, d.Field);
            foreach (var v in d.Values)
            {
                Cell(html, v ?? "–");
            }

            Cell(html, d.Detail ?? string.Empty);
            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
    }

    private static string Value(ComparedValue v)
    {
        if (!v.Present)
        {
            return "<span style=\"color:#999\">–</span>";
        }

        if (v.Status is { } status && status != RowStatus.Ok)
        {
            return "<span style=\"" + Red + "\">" + Html.Text(Lower(status)) + "</span>";
        }

        var text = Html.Text(v.Value is { } x ? x.ToString("G6", CultureInfo.InvariantCulture) : "n/a");
        return v.Source is { } s && s != DataSource.Measured ? text + " <span style=\"color:#999\">" + Html.Text(Lower(s)[..3]) + "</span>" : text;
    }

    private static string Delta(ComparedValue baseline, ComparedValue v)
    {
        if (baseline.Present != v.Present)
        {
            return v.Present ? "only here" : "missing";
        }

        if (v.DeltaAbs is not { } abs)
        {
            return baseline.Status != v.Status ? "status" : string.Empty;
        }

        var text = abs.ToString("+0.####;-0.####;0", CultureInfo.InvariantCulture);
        return v.DeltaRel is { } rel ? text + $" ({(rel * 100).ToString("+0.0;-0.0;0", CultureInfo.InvariantCulture)}%)" : text;
    }

    private static void Headers(StringBuilder html, IEnumerable<string> headers)
    {
        foreach (var h in headers)
        {
            html.Append("<th>").Append(Html.Text(h)).Append("</th>");
        }
    }

    private static void Cell(StringBuilder html, string text) => html.Append("<td>").Append(Html.Text(text)).Append("</td>");

    private static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
