using System.Text.Json;
using Microsoft.DotNet.Interactive.Documents;
using RigNotebooks.Plots;

namespace RigNotebooks.Interactive.Runner;

/// <summary>The offline HTML copy of an executed notebook: markdown as prose, code, and outputs (HTML as is, text as
/// preformatted, errors in red). plotly.js is inlined once in the head; the copy in the load cell's output is dropped.</summary>
public static class NotebookHtml
{
    public static HtmlReport Render(InteractiveDocument notebook, string title, int? failedCell = null, string? error = null)
    {
        var report = new HtmlReport(title);
        if (failedCell is not null)
        {
            report.Raw($"<p class=\"cell-error\">This notebook stopped at cell {failedCell}: {Plots.Html.Text(error)}</p>");
        }

        foreach (var cell in notebook.Elements)
        {
            if (cell.KernelName is "markdown" or "md")
            {
                report.Markdown(cell.Contents);
                continue;
            }

            report.Code(cell.Contents);
            foreach (var output in cell.Outputs)
            {
                switch (output)
                {
                    case DisplayElement display:
                        Add(report, display.Data);
                        break;
                    case TextElement text:
                        report.Code(text.Text, text.Name);
                        break;
                    case ErrorElement err:
                        report.Raw($"<pre class=\"cell-error\">{Plots.Html.Text(err.ErrorName)}: {Plots.Html.Text(err.ErrorValue)}</pre>");
                        break;
                }
            }
        }

        return report;
    }

    private static void Add(HtmlReport report, IDictionary<string, object> data)
    {
        if (data.TryGetValue("text/html", out var html))
        {
            var text = Text(html);
            var hadLibrary = text.Contains("data-plotly-js=", StringComparison.Ordinal);
            text = text.Replace(PlotlyJs.ScriptTag, string.Empty, StringComparison.Ordinal);
            report.Raw(text, needsPlotly: hadLibrary);
        }
        else if (data.TryGetValue("text/plain", out var plain))
        {
            report.Code(Text(plain));
        }
    }

    /// <summary>Output data as read back from .ipynb can be a string, a list of lines, or a JSON element.</summary>
    private static string Text(object value) => value switch
    {
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } j => j.GetString() ?? "",
        JsonElement { ValueKind: JsonValueKind.Array } j => string.Concat(j.EnumerateArray().Select(x => x.GetString())),
        IEnumerable<object> lines => string.Concat(lines.Select(l => l?.ToString())),
        _ => value.ToString() ?? "",
    };
}
