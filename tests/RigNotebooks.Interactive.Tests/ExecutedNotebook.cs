using System.Text.Json;

namespace RigNotebooks.Interactive.Tests;

/// <summary>An executed .ipynb read as plain JSON: what a reader of the file would find, whoever wrote it.</summary>
public sealed class ExecutedNotebook
{
    public ExecutedNotebook(string path)
    {
        Text = File.ReadAllText(path);
        using var doc = JsonDocument.Parse(Text);
        Cells = doc.RootElement.GetProperty("cells").EnumerateArray().Select(c => new Cell(
            c.GetProperty("cell_type").GetString()!,
            Join(c.GetProperty("source")),
            c.TryGetProperty("outputs", out var outputs) ? outputs.EnumerateArray().Select(Output).ToList() : [])).ToList();
    }

    public string Text { get; }

    public IReadOnlyList<Cell> Cells { get; }

    public IEnumerable<Out> Outputs => Cells.SelectMany(c => c.Outputs);

    public IEnumerable<Out> Errors => Outputs.Where(o => o.Type == "error");

    /// <summary>Chart titles (data-rig-chart) in HTML outputs.</summary>
    public IEnumerable<string> Charts => Outputs.Where(o => o.Html is not null)
        .SelectMany(o => System.Text.RegularExpressions.Regex.Matches(o.Html!, "class=\"rig-chart\"[^>]*data-rig-chart=\"([^\"]*)\"").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)));

    public int PlotlyCopies => System.Text.RegularExpressions.Regex.Count(Text, "data-plotly-js=");

    private static Out Output(JsonElement o)
    {
        var type = o.GetProperty("output_type").GetString()!;
        string? html = null, plain = null, error = null;
        if (o.TryGetProperty("data", out var data))
        {
            html = data.TryGetProperty("text/html", out var h) ? Join(h) : null;
            plain = data.TryGetProperty("text/plain", out var p) ? Join(p) : null;
        }

        if (type == "error")
        {
            error = $"{o.GetProperty("ename").GetString()}: {o.GetProperty("evalue").GetString()}";
        }
        else if (type == "stream")
        {
            plain = Join(o.GetProperty("text"));
        }

        return new Out(type, html, plain, error);
    }

    private static string Join(JsonElement e) => e.ValueKind == JsonValueKind.Array ? string.Concat(e.EnumerateArray().Select(x => x.GetString())) : e.GetString() ?? "";

    public sealed record Cell(string Type, string Source, IReadOnlyList<Out> Outputs);

    public sealed record Out(string Type, string? Html, string? Plain, string? Error);
}
