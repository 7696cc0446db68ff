using Microsoft.DotNet.Interactive.Formatting;
using RigNotebooks.Doctor;

namespace RigNotebooks.Interactive.Tests;

/// <summary>The formatters RigKit.Load registers. In the runner's collection: plotly.js bookkeeping is per process.</summary>
[Collection(SetupCheckCollection.Name)]
public class FormatterTests(ReproductionRun reproduction)
{
    [Fact]
    public void Experiments_monitors_and_sweeps_show_as_rounded_tables_with_their_findings_and_watchdog()
    {
        RigKit.Load();
        var story = reproduction.Result.Story;

        var failing = Formatter.ToDisplayString(story.Failing, HtmlFormatter.MimeType);
        Assert.Contains("class=\"rig-watchdog\"", failing, StringComparison.Ordinal);
        Assert.Contains("hung after", failing, StringComparison.Ordinal);
        Assert.Contains("class=\"findings\"", failing, StringComparison.Ordinal);
        Assert.Contains("watchdog: ", Formatter.ToDisplayString(story.Failing, PlainTextFormatter.MimeType), StringComparison.Ordinal);

        var monitor = System.Net.WebUtility.HtmlDecode(Formatter.ToDisplayString(story.Thermals!.Report, HtmlFormatter.MimeType));
        Assert.Contains("<td>104 °C</td>", monitor, StringComparison.Ordinal);
        Assert.Contains("<td>171 kJ</td>", monitor, StringComparison.Ordinal);
        Assert.Contains("kWh", monitor, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d\.\d{5,}", monitor);

        var sweep = System.Net.WebUtility.HtmlDecode(Formatter.ToDisplayString(story.PowerSweep!.Report, HtmlFormatter.MimeType));
        Assert.Contains("<td>285 W</td>", sweep, StringComparison.Ordinal);
        Assert.Contains("<b>recommended:</b> 285 W", sweep, StringComparison.Ordinal);
        Assert.Contains("runs are written to", Formatter.ToDisplayString(new Results.RunStore(reproduction.OutputFolder), HtmlFormatter.MimeType), StringComparison.Ordinal);
    }

    [Fact]
    public void Plotly_js_goes_into_the_first_html_output_of_a_notebook_and_no_other()
    {
        RigKit.Load();
        RigKit.PlotlyEmitted = false;

        var loaded = Formatter.ToDisplayString(RigKit.Load(), HtmlFormatter.MimeType);
        var chart = Formatter.ToDisplayString(RigKit.SelfTestChart(), HtmlFormatter.MimeType);

        Assert.Contains("data-plotly-js=", loaded, StringComparison.Ordinal);
        Assert.Contains("RigNotebooks", loaded, StringComparison.Ordinal);
        Assert.DoesNotContain("data-plotly-js=", chart, StringComparison.Ordinal);
        Assert.Contains("data-rig-chart=\"Chart self-test\"", chart, StringComparison.Ordinal);
        Assert.Contains("[chart] Chart self-test", Formatter.ToDisplayString(RigKit.SelfTestChart(), PlainTextFormatter.MimeType), StringComparison.Ordinal);
    }

    [Fact]
    public void A_runs_notes_and_tags_show_escaped_in_the_notebook_and_in_the_reports_runs_table()
    {
        RigKit.Load();
        var story = reproduction.Result.Story;
        var noted = story.Fixed.Run with
        {
            Record = story.Fixed.Run.Record with
            {
                Notes = [new Results.RunNote(new DateTimeOffset(2024, 2, 3, 4, 5, 0, TimeSpan.Zero), "driver 535 <b>fixed</b> it & iommu=pt")],
                Tags = ["driver-535"],
            },
        };

        var html = Formatter.ToDisplayString(noted, HtmlFormatter.MimeType);
        Assert.Contains("<ul class=\"rig-notes\">", html, StringComparison.Ordinal);
        Assert.Contains("2024-02-03 04:05 UTC</span> driver 535 &lt;b&gt;fixed&lt;/b&gt; it &amp; iommu=pt", html, StringComparison.Ordinal);
        Assert.Contains("tags: driver-535", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>fixed</b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("rig-notes", Formatter.ToDisplayString(story.Fixed.Run, HtmlFormatter.MimeType), StringComparison.Ordinal);
        var text = Formatter.ToDisplayString(noted, PlainTextFormatter.MimeType);
        Assert.Contains("note (2024-02-03 04:05 UTC): driver 535 <b>fixed</b> it & iommu=pt", text, StringComparison.Ordinal);
        Assert.Contains("note (2024-02-03 04:05 UTC)", Formatter.ToDisplayString(story.Fixed with { Run = noted }, PlainTextFormatter.MimeType), StringComparison.Ordinal);

        var report = Plots.StoryReport.Build(story with { Fixed = story.Fixed with { Run = noted } }).Render();
        var runs = report[report.IndexOf("id=\"runs\"", StringComparison.Ordinal)..];
        Assert.Contains("<th>notes</th>", runs, StringComparison.Ordinal);
        Assert.Contains("<td>driver 535 &lt;b&gt;fixed&lt;/b&gt; it &amp; iommu=pt</td>", runs, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_runs_compare_in_a_notebook_with_deltas_environment_differences_notes_and_a_chart()
    {
        RigKit.Load();
        var story = reproduction.Result.Story;
        var failing = story.Failing.Run with
        {
            Record = story.Failing.Run.Record with { Notes = [new Results.RunNote(DateTimeOffset.UnixEpoch, "driver 545 <i>hangs</i>")] },
        };

        var view = RigKit.Compare(failing, story.Fixed.Run);
        var html = Formatter.ToDisplayString(view, HtmlFormatter.MimeType);
        Assert.Contains("<table class=\"rig-compare-runs\">", html, StringComparison.Ordinal);
        Assert.Contains("1 (base)", html, StringComparison.Ordinal);
        Assert.Contains("driver 545 &lt;i&gt;hangs&lt;/i&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<table class=\"rig-compare-rows\">", html, StringComparison.Ordinal);
        Assert.Contains("<th>Δ 2 vs 1</th>", html, StringComparison.Ordinal);
        Assert.Contains("<table class=\"rig-compare-environment\">", html, StringComparison.Ordinal);
        var environment = html[html.IndexOf("rig-compare-environment", StringComparison.Ordinal)..];
        Assert.Contains("<td>driver</td>", environment, StringComparison.Ordinal);
        Assert.Contains("545", environment, StringComparison.Ordinal);
        Assert.Contains("535", environment, StringComparison.Ordinal);
        Assert.Contains("simulated", html, StringComparison.Ordinal);
        Assert.Contains($"data-rig-chart=\"{view.Chart.Title}\"", html, StringComparison.Ordinal);
        Assert.Equal(view.Comparison.Rows.Any(r => r.Changed), view.Comparison.Rows.Any(r => r.Changed && r.Key.Metric == view.Metric));

        var text = Formatter.ToDisplayString(view, PlainTextFormatter.MimeType);
        Assert.Contains($"{failing.Id} vs {story.Fixed.RunId}", text, StringComparison.Ordinal);
        Assert.Contains("note run 1: driver 545 <i>hangs</i>", text, StringComparison.Ordinal);
        Assert.Contains("[chart] ", text, StringComparison.Ordinal);

        // By id from a results folder, or as experiment results, the same comparison; changedOnly lists only what changed.
        var byId = RigKit.Compare(story.Failing.RunId, story.Fixed.RunId, changedOnly: true, store: new Results.RunStore(story.ResultsFolder));
        Assert.Equal(view.Comparison.Rows.Count, byId.Comparison.Rows.Count);
        Assert.Contains("(showing those)", byId.ToHtml(), StringComparison.Ordinal);
        Assert.Equal(view.Metric, RigKit.Compare(story.Failing, story.Fixed).Metric);
        Assert.Contains("rig-compare-rows", Formatter.ToDisplayString(view.Comparison, HtmlFormatter.MimeType), StringComparison.Ordinal);
        Assert.Throws<Errors.RigInputException>(() => RigKit.Compare(story.Fixed, story.Bandwidth));
    }

    [Fact]
    public void Findings_and_matrices_have_html_and_text_forms()
    {
        RigKit.Load();
        IEnumerable<Finding> findings = [new Finding("iommu-translating", Severity.Error, "IOMMU translates peer copies", "iommu=on", "Boot with iommu=pt")];
        var html = Formatter.ToDisplayString(findings, HtmlFormatter.MimeType);
        Assert.Contains("class=\"sev-error\"", html, StringComparison.Ordinal);
        Assert.Contains("Boot with iommu=pt", html, StringComparison.Ordinal);

        var rig = Rigs.RigSelector.Open("sim:blog-3x3090").Describe();
        var matrix = Plots.Matrix.Topology(rig);
        Assert.Contains("<table class=\"rig-matrix\">", Formatter.ToDisplayString(matrix, HtmlFormatter.MimeType), StringComparison.Ordinal);
        Assert.Contains("GPU 2", Formatter.ToDisplayString(matrix, PlainTextFormatter.MimeType), StringComparison.Ordinal);
        Assert.Contains("(simulated rig)", matrix.ToHtml(), StringComparison.Ordinal);
    }
}

public class LiveProgressTests
{
    [Fact]
    public void Cancelling_the_caller_cancels_the_progress_token_and_the_display_says_so()
    {
        using var caller = new CancellationTokenSource();
        using var progress = LiveProgress.Start("sweep", total: 4, caller.Token);
        progress.Report(1, "cap 200 W");
        Assert.Equal("running", progress.State);
        Assert.Contains("1/4", progress.ToText(), StringComparison.Ordinal);

        caller.Cancel();
        Assert.True(progress.Token.IsCancellationRequested);
        progress.Dispose();
        Assert.Equal("cancelled", progress.State);
        Assert.Contains("#b00020", progress.ToHtml(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_experiments_own_progress_type_is_mapped_and_completion_fills_the_bar()
    {
        using var progress = LiveProgress.Start("bandwidth", total: 10);
        var sink = progress.For<(int Done, string Pair)>(p => (p.Done, $"pair {p.Pair}"));
        sink.Report((3, "0→1"));
        Assert.Equal(3, progress.Done);
        Assert.Equal("pair 0→1", progress.Message);

        progress.Complete("all pairs measured");
        Assert.Equal("done", progress.State);
        Assert.Equal(10, progress.Done);
        Assert.Contains("width:100%", progress.ToHtml(), StringComparison.Ordinal);
    }
}
