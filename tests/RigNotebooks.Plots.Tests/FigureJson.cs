using System.Text.Json;

namespace RigNotebooks.Plots.Tests;

/// <summary>Reads what Plotly.NET produced for a figure, so tests check the drawn chart, not our spec.</summary>
internal sealed class FigureJson
{
    public FigureJson(Figure figure)
    {
        Root = JsonDocument.Parse(figure.ToPlotlyJson()).RootElement.Clone();
    }

    public JsonElement Root { get; }

    public JsonElement Layout => Root.GetProperty("layout");

    public IEnumerable<JsonElement> Traces => Root.GetProperty("data").EnumerateArray();

    public string Title => Layout.GetProperty("title").GetProperty("text").GetString()!;

    public JsonElement Trace(string name) => Traces.Single(t => t.TryGetProperty("name", out var n) && n.GetString() == name);

    public IEnumerable<string> AxisTitles => Layout.EnumerateObject()
        .Where(p => p.Name.StartsWith("xaxis", StringComparison.Ordinal) || p.Name.StartsWith("yaxis", StringComparison.Ordinal))
        .Select(p => p.Value.GetProperty("title").GetProperty("text").GetString()!);

    public IEnumerable<JsonElement> Shapes => Layout.TryGetProperty("shapes", out var s) ? s.EnumerateArray() : [];

    public IEnumerable<string> AnnotationTexts => Layout.TryGetProperty("annotations", out var a) ? a.EnumerateArray().Select(x => x.GetProperty("text").GetString()!) : [];

    public static List<double?> Numbers(JsonElement array) =>
        array.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble()).ToList();
}
