using RigNotebooks.Plots.Engine;

namespace RigNotebooks.Plots;

/// <summary>The plotly.js that draws every chart: the copy embedded in the Plotly.NET assembly we ship (byte-identical to
/// npm <c>plotly.js-dist-min</c> at <see cref="Version"/>). Inline it once per document; never fetch it.</summary>
public static class PlotlyJs
{
    public static string Version => PlotlyEngine.PlotlyJsVersion;

    /// <summary>The minified library.</summary>
    public static string Source => PlotlyEngine.PlotlyJs;

    /// <summary>A script tag that defines <c>window.Plotly</c> even where RequireJS is on the page (classic Jupyter),
    /// by hiding <c>define</c>/<c>module</c> from plotly's UMD wrapper.</summary>
    public static string ScriptTag =>
        $"<script type=\"text/javascript\" data-plotly-js=\"{Version}\">(function(define,module,exports){{{Html.ScriptSafe(Source)}\n}}).call(window);</script>\n";
}
