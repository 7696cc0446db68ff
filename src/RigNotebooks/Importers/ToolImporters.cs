using RigNotebooks.Errors;

namespace RigNotebooks.Importers;

/// <summary>Imports a tool's output file: picks the importer by tool name and the format by content (a JSON object
/// or text), and turns unreadable files into precise input errors.</summary>
public static class ToolImporters
{
    public static IReadOnlyList<string> Tools { get; } = [NvbandwidthImporter.Tool, P2PBandwidthLatencyImporter.Tool, NcclTestsImporter.Tool];

    public static ImportResult ImportFile(string tool, string path, string? format = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new RigInputException($"Cannot read {path}: {ex.Message}", ex);
        }

        return Import(tool, text, path, format);
    }

    public static ImportResult Import(string tool, string text, string file, string? format = null)
    {
        var json = format?.ToLowerInvariant() switch
        {
            null or "" or "auto" => LooksLikeJson(text),
            "json" => true,
            "text" => false,
            _ => throw new RigInputException($"Unknown format '{format}': use auto, text or json."),
        };
        return Normalize(tool) switch
        {
            NvbandwidthImporter.Tool => json ? NvbandwidthImporter.ImportJson(text, file) : NvbandwidthImporter.ImportText(text, file),
            P2PBandwidthLatencyImporter.Tool => json
                ? throw new RigInputException("p2pBandwidthLatencyTest prints text only; import its text output.")
                : P2PBandwidthLatencyImporter.Import(text, file),
            NcclTestsImporter.Tool => json ? NcclTestsImporter.ImportJson(text, file) : NcclTestsImporter.ImportText(text, file),
            _ => throw new RigInputException($"Unknown tool '{tool}'. Tools: {string.Join(", ", Tools)}."),
        };
    }

    private static string Normalize(string tool) => tool.Trim().ToLowerInvariant() switch
    {
        "nvbandwidth" => NvbandwidthImporter.Tool,
        "p2pbandwidthlatencytest" or "p2p" or "p2p-bandwidth-latency" => P2PBandwidthLatencyImporter.Tool,
        "nccl-tests" or "nccl" or "all_reduce_perf" => NcclTestsImporter.Tool,
        _ => tool,
    };

    /// <summary>A line that starts with '{' (after any log lines a tool printed first) marks JSON output.</summary>
    private static bool LooksLikeJson(string text) =>
        text.Split('\n').Any(l => l.TrimStart().StartsWith('{')) && !text.Contains("Running ", StringComparison.Ordinal) && !text.Contains("# Using devices", StringComparison.Ordinal);
}
