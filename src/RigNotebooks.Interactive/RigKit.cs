using Microsoft.DotNet.Interactive.Formatting;
using RigNotebooks.Doctor;
using RigNotebooks.Experiments;
using RigNotebooks.Plots;
using Html = RigNotebooks.Plots.Html;
using RigNotebooks.Results;
using RigNotebooks.Results.Comparison;

namespace RigNotebooks.Interactive;

/// <summary>The notebook side of the kit. The load cell at the top of every notebook calls <see cref="Load"/>:
/// <code>
/// #!import ../artifacts/rig-notebooks.dib
/// </code>
/// which the build writes for this clone (the feed <c>#i "nuget: &lt;clone&gt;/artifacts/feed"</c>, <c>#r "nuget: RigNotebooks.Interactive, &lt;version&gt;"</c>,
/// the usings of <see cref="Usings"/>, and <c>RigKit.Load()</c>).
/// It registers the formatters (figures, runs, findings, matrices) and displays one line that also carries plotly.js,
/// so every chart of the notebook draws offline from that single copy.</summary>
public static class RigKit
{
    /// <summary>The namespaces the load cell imports (the build writes the same list into rig-notebooks.dib).</summary>
    public static readonly IReadOnlyList<string> Usings =
        ["RigNotebooks", "RigNotebooks.Results", "RigNotebooks.Rigs", "RigNotebooks.Experiments", "RigNotebooks.Plots", "RigNotebooks.Interactive"];

    private static readonly Lock Gate = new();
    private static bool registered;

    /// <summary>Registers the formatters (once per process; calling again is harmless) and returns what the load cell shows.</summary>
    public static KitLoaded Load()
    {
        lock (Gate)
        {
            if (!registered)
            {
                Register();
                registered = true;
            }
        }

        // The chart engine's first use costs a few seconds (loading Plotly.NET, JIT); start it while the user reads.
        _ = Task.Run(() => _ = PlotlyJs.Version);
        return new KitLoaded(SoftwareVersions.KitVersion);
    }

    /// <summary>The environment variable that names the folder notebooks write their runs to. The kit's runner sets it
    /// to <c>&lt;output folder&gt;/results</c> while a notebook runs.</summary>
    public const string ResultsVariable = "RIG_NOTEBOOK_RESULTS";

    /// <summary>Where a notebook writes its runs: <c>$RIG_NOTEBOOK_RESULTS</c> when set (the runner sets it), else
    /// <c>rignotebooks-results</c> in the temp folder — never the repository the notebook lives in.</summary>
    public static RunStore Results()
    {
        var folder = Environment.GetEnvironmentVariable(ResultsVariable) is { Length: > 0 } set
            ? set
            : Path.Combine(Path.GetTempPath(), "rignotebooks-results");
        var store = new RunStore(folder);
        store.EnsureWritable();
        return store;
    }

    /// <summary>Compares two runs of one experiment, <paramref name="baseline"/> first: shows the deltas of every row
    /// against it, the environment differences that could explain them (driver, caps, links, rig, measured vs simulated)
    /// and a chart of <paramref name="metric"/> (by default the metric with the most changed rows).</summary>
    /// <param name="case">Draw only this case of the metric (e.g. <c>peer_unidirectional</c>).</param>
    /// <param name="changedOnly">List only the rows that differ from the baseline.</param>
    /// <param name="title">The chart's title (default: the experiment, case and metric).</param>
    public static RunComparisonView Compare(LoadedRun baseline, LoadedRun other, string? metric = null, string? @case = null, bool changedOnly = false, ComparisonOptions? options = null, string? title = null) =>
        Compare([baseline, other], metric, @case, changedOnly, options, title);

    /// <summary>Compares the runs of two experiments the notebook ran (see <see cref="Compare(LoadedRun, LoadedRun, string?, string?, bool, ComparisonOptions?, string?)"/>).</summary>
    public static RunComparisonView Compare(ExperimentResult baseline, ExperimentResult other, string? metric = null, string? @case = null, bool changedOnly = false, ComparisonOptions? options = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(other);
        return Compare([baseline.Run, other.Run], metric, @case, changedOnly, options, title);
    }

    /// <summary>Compares two runs by id (or unique id prefix, or folder) from <paramref name="store"/>, by default the
    /// notebook's <see cref="Results()"/> (see <see cref="Compare(LoadedRun, LoadedRun, string?, string?, bool, ComparisonOptions?, string?)"/>).</summary>
    public static RunComparisonView Compare(string baseline, string other, string? metric = null, string? @case = null, bool changedOnly = false, ComparisonOptions? options = null, RunStore? store = null, string? title = null)
    {
        store ??= Results();
        return Compare([store.Load(baseline), store.Load(other)], metric, @case, changedOnly, options, title);
    }

    /// <summary>Compares two or more runs of one experiment, the first as the baseline.</summary>
    public static RunComparisonView Compare(IReadOnlyList<LoadedRun> runs, string? metric = null, string? @case = null, bool changedOnly = false, ComparisonOptions? options = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var comparison = RunComparer.Compare(runs, options);
        metric ??= comparison.Rows
            .GroupBy(r => r.Key.Metric, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count(r => r.Changed))
            .ThenByDescending(g => g.Count())
            .Select(g => g.Key)
            .FirstOrDefault() ?? "value";
        title ??= $"{comparison.Experiment}: {(@case is null ? string.Empty : @case + " ")}{metric} across runs";
        return new RunComparisonView(comparison, Charts.CompareRuns(runs, metric, @case, title), metric, changedOnly);
    }

    /// <summary>A test pattern, not data: two curves that prove charts draw in this host (and offline).</summary>
    public static Figure SelfTestChart()
    {
        var x = Enumerable.Range(0, 61).Select(i => (object?)(i / 10.0)).ToList();
        var panel = new Plots.Spec.PanelSpec(null, new Plots.Spec.AxisSpec("x (radians)"), new Plots.Spec.AxisSpec("y (unitless)"),
        [
            new("lines", "sin x", x, x.Select(v => (object?)Math.Sin((double)v!)).ToList(), Color: "#1f77b4"),
            new("lines", "cos x", x, x.Select(v => (object?)Math.Cos((double)v!)).ToList(), Color: "#ff7f0e", Dash: "dash"),
        ]);
        return new Figure(new Plots.Spec.FigureSpec("Chart self-test", "if you see two curves, charts draw here — offline", "TEST PATTERN, NOT DATA", 1, 1, [panel], Height: 320));
    }

    /// <summary>Whether plotly.js has been written into this notebook session's output already.</summary>
    internal static bool PlotlyEmitted { get; set; }

    /// <summary>plotly.js once per session: the first HTML output that needs it carries it.</summary>
    internal static string PlotlyOnce()
    {
        lock (Gate)
        {
            if (PlotlyEmitted)
            {
                return string.Empty;
            }

            PlotlyEmitted = true;
            return PlotlyJs.ScriptTag;
        }
    }

    private static void Register()
    {
        Formatter.Register<KitLoaded>(k => PlotlyOnce() + k.ToHtml(), HtmlFormatter.MimeType);
        Formatter.Register<KitLoaded>(k => k.ToString(), PlainTextFormatter.MimeType);
        Formatter.Register<Figure>(f => PlotlyOnce() + f.ToHtml(), HtmlFormatter.MimeType);
        Formatter.Register<Figure>(f => $"[chart] {f.Title} (open the HTML output or the offline copy to see it)", PlainTextFormatter.MimeType);
        Formatter.Register<LoadedRun>(RunHtml.Of, HtmlFormatter.MimeType);
        Formatter.Register<ExperimentResult>(RunHtml.Of, HtmlFormatter.MimeType);
        Formatter.Register<ExperimentResult>(RunHtml.Text, PlainTextFormatter.MimeType);
        Formatter.Register<RunStore>(s => $"runs are written to <code>{Html.Text(s.Root)}</code>", HtmlFormatter.MimeType);
        Formatter.Register<RunStore>(s => $"runs are written to {s.Root}", PlainTextFormatter.MimeType);
        Formatter.Register<Telemetry.TelemetryWindowReport>(TelemetryHtml.Of, HtmlFormatter.MimeType);
        Formatter.Register<Telemetry.TelemetryWindowReport>(TelemetryHtml.Text, PlainTextFormatter.MimeType);
        Formatter.Register<MonitorOutcome>(TelemetryHtml.Of, HtmlFormatter.MimeType);
        Formatter.Register<MonitorOutcome>(TelemetryHtml.Text, PlainTextFormatter.MimeType);
        Formatter.Register<Power.PowerSweepResult>(TelemetryHtml.Of, HtmlFormatter.MimeType);
        Formatter.Register<Power.PowerSweepResult>(TelemetryHtml.Text, PlainTextFormatter.MimeType);
        Formatter.Register<LoadedRun>(RunHtml.Text, PlainTextFormatter.MimeType);
        Formatter.Register<RunComparison>(c => ComparisonHtml.Of(c), HtmlFormatter.MimeType);
        Formatter.Register<RunComparison>(ComparisonHtml.Text, PlainTextFormatter.MimeType);
        Formatter.Register<RunComparisonView>(v => PlotlyOnce() + v.ToHtml(), HtmlFormatter.MimeType);
        Formatter.Register<RunComparisonView>(v => v.ToString(), PlainTextFormatter.MimeType);
        Formatter.Register<Finding>(f => FindingsTable.Html([f]), HtmlFormatter.MimeType);
        Formatter.Register<IEnumerable<Finding>>(f => FindingsTable.Html(f), HtmlFormatter.MimeType);
        Formatter.Register<Matrix>(m => m.ToHtml(), HtmlFormatter.MimeType);
        Formatter.Register<Matrix>(m => m.ToText(), PlainTextFormatter.MimeType);
        Formatter.Register<LiveProgress>(p => p.ToHtml(), HtmlFormatter.MimeType);
        Formatter.Register<LiveProgress>(p => p.ToText(), PlainTextFormatter.MimeType);
    }
}

/// <summary>What the load cell displays: the kit's version, and (in HTML) the one copy of plotly.js.</summary>
public sealed record KitLoaded(string Version)
{
    public string ToHtml() =>
        $"<div class=\"rig-kit-loaded\">RigNotebooks {Html.Text(Version)} loaded; charts draw offline with plotly.js {Html.Text(PlotlyJs.Version)}.</div>";

    public override string ToString() => $"RigNotebooks {Version} loaded; charts draw offline with plotly.js {PlotlyJs.Version}.";
}
