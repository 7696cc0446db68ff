using Xunit.Abstractions;

namespace RigNotebooks.Interactive.Tests;

/// <summary>The offline HTML copy in a real browser with no network: Debian's chromium, headless, a fresh profile.</summary>
[Collection(SetupCheckCollection.Name)]
public class ChromiumTests(SetupCheckRun run, ITestOutputHelper log)
{
    private static readonly string[] Flags =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--headless"];

    [Fact]
    public void The_offline_copy_draws_its_chart_in_headless_chromium()
    {
        var chromium = External.Which("chromium", "chromium-browser")
            ?? throw new InvalidOperationException("chromium is not installed (Debian: apt-get install chromium); .ci/run installs it.");
        var profile = Repo.TempFolder("chromium-profile");
        var shot = Path.Combine(profile, "page.png");
        try
        {
            var url = new Uri(run.Result.HtmlCopy).AbsoluteUri;
            var dom = External.Run(chromium, [.. Flags, $"--user-data-dir={profile}", "--virtual-time-budget=10000", "--dump-dom", url], profile, TimeSpan.FromMinutes(2));
            log.WriteLine($"--dump-dom: {dom.Elapsed.TotalSeconds:0.0} s");
            Assert.True(dom.ExitCode == 0, dom.Output);
            Assert.Contains("class=\"main-svg\"", dom.Output, StringComparison.Ordinal);
            Assert.Contains("class=\"scatterlayer", dom.Output, StringComparison.Ordinal);
            Assert.Contains("class=\"trace scatter", dom.Output, StringComparison.Ordinal);
            Assert.Contains("Chart self-test", dom.Output, StringComparison.Ordinal);

            var screenshot = External.Run(chromium, [.. Flags, $"--user-data-dir={profile}", "--virtual-time-budget=10000", "--window-size=1100,2400", $"--screenshot={shot}", url], profile, TimeSpan.FromMinutes(2));
            log.WriteLine($"--screenshot: {screenshot.Elapsed.TotalSeconds:0.0} s");
            Assert.True(File.Exists(shot), screenshot.Output);
            var png = Png.Inspect(shot);
            Assert.Equal((1100, 2400), (png.Width, png.Height));
            Assert.True(png.DistinctColors > 50, $"only {png.DistinctColors} colours: the page looks blank");
            Assert.True(png.NonWhiteFraction > 0.02, $"only {png.NonWhiteFraction:P1} of the page is not white");
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
