using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using RigNotebooks.Doctor;

namespace RigNotebooks.Plots.Tests;

public class HtmlReportTests
{
    [Fact]
    public void Plotly_js_is_inlined_once_however_many_charts_and_nothing_is_fetched()
    {
        var data = ChartData.FromRows(Rows.Scaling(), "sim:blog-3x3090");
        var html = new HtmlReport("Report").Section("Scaling").Chart(Charts.Scaling(data)).Chart(Charts.Scaling(data))
            .Findings([new Finding("p2p-known-bad-driver", Severity.Error, "Driver 545 breaks P2P", "driver 545.29", "Install 535", ["https://example.org/issue"])])
            .Render();

        Assert.Equal(1, Regex.Count(html, "data-plotly-js="));
        Assert.Equal(2, Regex.Count(html, "class=\"rig-chart\""));
        Assert.DoesNotMatch(new Regex("<script[^>]+src=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex("<link[^>]+href=", RegexOptions.IgnoreCase), html);
        // Outside the inlined library (whose defaults mention a CDN for map topologies we never draw), no URL at all
        // but the finding's own source.
        var withoutLibrary = html.Replace(Html.ScriptSafe(PlotlyJs.Source), "", StringComparison.Ordinal);
        Assert.Equal(["https://example.org/issue"], Regex.Matches(withoutLibrary, "https?://[^\\s\"<]+").Select(m => m.Value));
        Assert.Contains("Driver 545 breaks P2P", html, StringComparison.Ordinal);
        Assert.Contains("class=\"sev-error\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_without_charts_carries_no_plotly_js()
    {
        var html = new HtmlReport("Prose only").Paragraph("no charts").Render();
        Assert.DoesNotContain("data-plotly-js=", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_inlined_plotly_js_is_the_npm_plotly_js_dist_min_that_Plotly_NET_6_expects()
    {
        Assert.Equal("2.28.0", PlotlyJs.Version);
        // sha256 of plotly.min.js in npm plotly.js-dist-min@2.28.0 (the tarball with integrity
        // sha512-TzoB4RRSL4WcbAVP9fjeZRKNnRhHLBWmXxIIMQ3O7GAwadQ/IpO6kSS0q8Ahmr6eewvKKiJeXqc4sA6oEQre/A==).
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(PlotlyJs.Source)));
        Assert.Equal("f33191858012cf263ca873b819c5e7405538183fe3d0e1a6d7b3e577867bcc37", sha);
    }

    [Fact]
    public void Markdown_prose_is_escaped_so_a_cell_cannot_inject_script()
    {
        var html = MarkdownLite.ToHtml("# Title\n\nSome **bold** and `code` <script>alert(1)</script>\n\n- one\n- two\n\n[ok](https://example.org) [bad](javascript:alert(1))");
        Assert.Contains("<h1>Title</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>bold</strong>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("<li>two</li>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.org\">ok</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Figure_json_cannot_close_its_script_element()
    {
        var data = ChartData.FromRows(Rows.Scaling(), "</script><script>alert(1)</script>");
        var html = Charts.Scaling(data).ToHtml();
        Assert.Equal(1, Regex.Count(html, "</script>", RegexOptions.IgnoreCase));
    }
}
