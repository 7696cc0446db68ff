using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace RigNotebooks.Interactive.Tests;

/// <summary>The offline HTML in a real browser with no network: Debian's chromium, headless, a fresh profile.</summary>
[Collection(SetupCheckCollection.Name)]
public class ChromiumTests(SetupCheckRun run, ReproductionRun reproduction, ITestOutputHelper log)
{
    private static readonly string[] Flags =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--headless"];

    [Fact]
    public void The_offline_copy_draws_its_chart_in_headless_chromium()
    {
        var (dom, png) = Render(run.Result.HtmlCopy, 2400);
        Assert.Contains("class=\"main-svg\"", dom, StringComparison.Ordinal);
        Assert.Contains("class=\"scatterlayer", dom, StringComparison.Ordinal);
        Assert.Contains("class=\"trace scatter", dom, StringComparison.Ordinal);
        Assert.Contains("Chart self-test", dom, StringComparison.Ordinal);
        NotBlank(png);
    }

    [Fact]
    public void Report_html_of_rig_reproduce_draws_every_chart_in_headless_chromium()
    {
        var (dom, png) = Render(reproduction.Result.ReportPath, 3000);
        // Plotly replaced each chart's empty div with a drawn plot: one plot container per chart, with SVG layers.
        Assert.Equal(reproduction.Result.ReportCharts, Regex.Count(dom, "class=\"plot-container plotly\""));
        Assert.True(Regex.Count(dom, "class=\"main-svg\"") >= reproduction.Result.ReportCharts);
        Assert.Contains("class=\"heatmaplayer", dom, StringComparison.Ordinal);
        Assert.Contains("class=\"scatterlayer", dom, StringComparison.Ordinal);
        Assert.Contains("class=\"barlayer", dom, StringComparison.Ordinal);
        Assert.Contains("SIMULATED DATA", dom, StringComparison.Ordinal);
        NotBlank(png);
    }

    private (string Dom, (int Width, int Height, int DistinctColors, double NonWhiteFraction) Png) Render(string file, int height)
    {
        var chromium = External.Which("chromium", "chromium-browser")
            ?? throw new InvalidOperationException("chromium is not installed (Debian: apt-get install chromium); .ci/run installs it.");
        var profile = Repo.TempFolder("chromium-profile");
        var shot = Path.Combine(profile, "page.png");
        try
        {
            var url = new Uri(file).AbsoluteUri;
            var dom = External.Run(chromium, [.. Flags, $"--user-data-dir={profile}", "--virtual-time-budget=10000", "--dump-dom", url], profile, TimeSpan.FromMinutes(2));
            log.WriteLine($"{Path.GetFileName(file)} --dump-dom: {dom.Elapsed.TotalSeconds:0.0} s");
            Assert.True(dom.ExitCode == 0, dom.Output);

            var screenshot = External.Run(chromium, [.. Flags, $"--user-data-dir={profile}", "--virtual-time-budget=10000", $"--window-size=1100,{height}", $"--screenshot={shot}", url], profile, TimeSpan.FromMinutes(2));
            log.WriteLine($"{Path.GetFileName(file)} --screenshot: {screenshot.Elapsed.TotalSeconds:0.0} s");
            Assert.True(File.Exists(shot), screenshot.Output);
            var png = Png.Inspect(shot);
            Assert.Equal((1100, height), (png.Width, png.Height));
            return (dom.Output, png);
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    private static void NotBlank((int Width, int Height, int DistinctColors, double NonWhiteFraction) png)
    {
        Assert.True(png.DistinctColors > 50, $"only {png.DistinctColors} colours: the page looks blank");
        Assert.True(png.NonWhiteFraction > 0.02, $"only {png.NonWhiteFraction:P1} of the page is not white");
    }
}
