using System.Globalization;
using System.Text;
using RigNotebooks.Doctor;

namespace RigNotebooks.Plots;

/// <summary>An offline HTML document: sections, prose, charts, findings and tables, with plotly.js inlined once in the
/// head when the document has a chart. Nothing is fetched when it is opened: no CDN, no fonts, no images.
/// <c>rig reproduce</c> writes report.html with it and <c>rig notebook run</c> the HTML copy of each notebook.</summary>
public sealed class HtmlReport(string title)
{
    private readonly StringBuilder body = new();
    private int charts;
    private bool needsPlotly;

    public string Title { get; } = title;

    /// <summary>How many charts the document holds.</summary>
    public int ChartCount => charts;

    /// <summary>Whether the document inlines plotly.js (it has a chart, or a fragment that asked for it).</summary>
    public bool InlinesPlotly => needsPlotly || charts > 0;

    public HtmlReport Section(string heading, string? id = null)
    {
        body.Append(CultureInfo.InvariantCulture, $"<h2{(id is null ? "" : $" id=\"{Html.Attribute(id)}\"")}>{Html.Text(heading)}</h2>\n");
        return this;
    }

    public HtmlReport Heading(string text, int level = 3)
    {
        level = Math.Clamp(level, 1, 6);
        body.Append(CultureInfo.InvariantCulture, $"<h{level}>{Html.Text(text)}</h{level}>\n");
        return this;
    }

    /// <summary>A paragraph of plain text (escaped).</summary>
    public HtmlReport Paragraph(string text)
    {
        body.Append("<p>").Append(Html.Text(text)).Append("</p>\n");
        return this;
    }

    /// <summary>Prose in a small, safe Markdown subset (headings, paragraphs, lists, emphasis, code, links).</summary>
    public HtmlReport Markdown(string markdown)
    {
        body.Append(MarkdownLite.ToHtml(markdown));
        return this;
    }

    public HtmlReport Chart(Figure figure)
    {
        charts++;
        body.Append("<figure class=\"chart\">").Append(figure.ToHtml()).Append("</figure>\n");
        return this;
    }

    /// <summary>A finding table: severity, what, evidence, remedy.</summary>
    public HtmlReport Findings(IEnumerable<Finding> findings)
    {
        body.Append(FindingsTable.Html(findings));
        return this;
    }

    public HtmlReport Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        body.Append("<table><thead><tr>");
        foreach (var h in headers)
        {
            body.Append("<th>").Append(Html.Text(h)).Append("</th>");
        }

        body.Append("</tr></thead><tbody>\n");
        foreach (var row in rows)
        {
            body.Append("<tr>");
            foreach (var cell in row)
            {
                body.Append("<td>").Append(Html.Text(cell)).Append("</td>");
            }

            body.Append("</tr>\n");
        }

        body.Append("</tbody></table>\n");
        return this;
    }

    public HtmlReport Code(string code, string? caption = null)
    {
        if (caption is not null)
        {
            body.Append("<div class=\"caption\">").Append(Html.Text(caption)).Append("</div>");
        }

        body.Append("<pre><code>").Append(Html.Text(code)).Append("</code></pre>\n");
        return this;
    }

    /// <summary>A trusted HTML fragment (a notebook output). Charts in it (<see cref="Figure.ToHtml"/>) are counted and
    /// find plotly.js by waiting for <c>window.Plotly</c>, which the document inlines once.</summary>
    public HtmlReport Raw(string html, bool needsPlotly = false)
    {
        var found = System.Text.RegularExpressions.Regex.Count(html, "class=\"rig-chart\"");
        charts += found;
        this.needsPlotly |= needsPlotly || found > 0;

        body.Append("<div class=\"output\">").Append(html).Append("</div>\n");
        return this;
    }

    public string Render()
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Html.Text(Title)).Append("</title>\n<style>").Append(Style).Append("</style>\n");
        if (InlinesPlotly)
        {
            html.Append(PlotlyJs.ScriptTag);
        }

        html.Append("</head>\n<body>\n<main>\n<h1>").Append(Html.Text(Title)).Append("</h1>\n")
            .Append(body)
            .Append("<footer>Written by RigNotebooks ").Append(Html.Text(Results.SoftwareVersions.KitVersion))
            .Append(InlinesPlotly ? $"; charts drawn by plotly.js {Html.Text(PlotlyJs.Version)}, inlined — this file needs no network." : ".")
            .Append("</footer>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    public void Save(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(path, Render());
    }

    private const string Style =
        "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#1b1b1b;background:#fff}" +
        "main{max-width:1100px;margin:0 auto;padding:1.5rem}h1{font-size:1.8rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd}" +
        "table{border-collapse:collapse;margin:1rem 0;font-size:.92rem}th,td{border:1px solid #ddd;padding:.35rem .6rem;text-align:left;vertical-align:top}" +
        "th{background:#f4f4f4}pre{background:#f6f8fa;padding:.8rem;overflow:auto;font-size:.85rem}code{font-family:ui-monospace,Menlo,Consolas,monospace}" +
        "figure.chart{margin:1rem 0}.sev-error{color:#b00020;font-weight:bold}.sev-warning{color:#b35c00;font-weight:bold}.sev-hint{color:#555}" +
        ".output{margin:.5rem 0 1.2rem}.caption{color:#666;font-size:.85rem}.cell-error{color:#b00020;white-space:pre-wrap}footer{margin-top:3rem;color:#777;font-size:.85rem}";
}
