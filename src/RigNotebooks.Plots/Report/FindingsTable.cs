using System.Text;
using RigNotebooks.Doctor;

namespace RigNotebooks.Plots;

/// <summary>Findings as an HTML table, worst first: severity, what, evidence, remedy, sources.</summary>
public static class FindingsTable
{
    public static string Html(IEnumerable<Finding> findings)
    {
        var list = findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Code, StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            return "<p class=\"findings-none\">No findings.</p>\n";
        }

        var html = new StringBuilder("<table class=\"findings\"><thead><tr><th>Severity</th><th>Finding</th><th>Evidence</th><th>Remedy</th></tr></thead><tbody>\n");
        foreach (var f in list)
        {
            var severity = f.Severity.ToString().ToLowerInvariant();
            html.Append("<tr><td class=\"sev-").Append(severity).Append("\">").Append(severity).Append("</td><td><b>")
                .Append(Plots.Html.Text(f.Title)).Append("</b><br><code>").Append(Plots.Html.Text(f.Code)).Append("</code></td><td>")
                .Append(Plots.Html.Text(f.Evidence)).Append("</td><td>").Append(Plots.Html.Text(f.Remedy));
            foreach (var source in f.Sources)
            {
                html.Append("<br><small>").Append(Plots.Html.Text(source)).Append("</small>");
            }

            html.Append("</td></tr>\n");
        }

        return html.Append("</tbody></table>\n").ToString();
    }
}
