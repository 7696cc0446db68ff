using System.Globalization;
using System.Text;
using RigNotebooks.Plots.Engine;
using RigNotebooks.Plots.Spec;

namespace RigNotebooks.Plots;

/// <summary>A chart ready to draw: its spec (plain data, see <see cref="FigureSpec"/>) and, on demand, the Plotly figure
/// JSON built by Plotly.NET and an HTML fragment that draws it. Figures never fetch anything: plotly.js is inlined by
/// <see cref="HtmlReport"/> (once per document) or by <see cref="PlotlyJs.ScriptTag"/>.</summary>
public sealed class Figure
{
    private readonly Lazy<string> json;

    public Figure(FigureSpec spec)
    {
        Spec = spec;
        json = new Lazy<string>(() => PlotlyEngine.Render(spec), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public FigureSpec Spec { get; }

    public string Title => Spec.Title;

    /// <summary>The Plotly figure (<c>{ data, layout }</c>) as JSON, built by Plotly.NET.</summary>
    public string ToPlotlyJson() => json.Value;

    /// <summary>A <c>div</c> and the script that draws this figure into it once plotly.js is on the page. The script
    /// waits for <c>window.Plotly</c>, so the fragment may appear before the plotly.js script (notebooks render
    /// outputs lazily). Set <paramref name="includePlotlyJs"/> to make the fragment self-contained.</summary>
    public string ToHtml(bool includePlotlyJs = false)
    {
        var id = "rig-chart-" + Guid.NewGuid().ToString("N")[..12];
        var html = new StringBuilder();
        if (includePlotlyJs)
        {
            html.Append(PlotlyJs.ScriptTag);
        }

        html.Append(CultureInfo.InvariantCulture, $"<div class=\"rig-chart\" id=\"{id}\" data-rig-chart=\"{Html.Attribute(Title)}\" style=\"width:100%;min-height:{Spec.Height}px\"></div>\n");
        html.Append("<script type=\"text/javascript\">(function(){var fig=")
            .Append(Html.ScriptSafe(ToPlotlyJson()))
            .Append(";var cfg={\"responsive\":true,\"displaylogo\":false};var tries=0;")
            .Append("function draw(){var el=document.getElementById('").Append(id).Append("');")
            .Append("if(window.Plotly&&el){window.Plotly.newPlot(el,fig.data,fig.layout,cfg);}")
            .Append("else if(tries++<600){setTimeout(draw,50);}}draw();})();</script>\n");
        return html.ToString();
    }

    /// <summary>A whole HTML page with this figure alone, plotly.js inlined.</summary>
    public string ToStandaloneHtml() => new HtmlReport(Title).Chart(this).Render();

    public override string ToString() => $"Figure: {Title}";
}
