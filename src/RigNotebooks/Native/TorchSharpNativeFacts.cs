using System.Text.Json;

namespace RigNotebooks.Native;

/// <summary>What this installation knows about loading TorchSharp's native library: the system libstdc++ level, each
/// copy of libLibTorchSharp.so beside the application (and whether its GLIBCXX_3.4.32 requirement is weak), and what
/// the build step said it did (rig-torchsharp-native.json).</summary>
public sealed record TorchSharpNativeFacts(LibStdCxxInfo System, IReadOnlyList<TorchSharpNativeCopy> Copies, string? BuildMarker, string? BuildSummary)
{
    public const string MarkerFileName = "rig-torchsharp-native.json";
    public const string NativeFileName = "libLibTorchSharp.so";

    /// <summary>The facts for the application in <paramref name="baseDirectory"/> (default: this process's).</summary>
    public static TorchSharpNativeFacts Gather(string? baseDirectory = null)
    {
        var dir = baseDirectory ?? AppContext.BaseDirectory;
        var copies = new[] { Path.Combine(dir, NativeFileName), Path.Combine(dir, "runtimes", "linux-x64", "native", NativeFileName), Path.Combine(dir, "runtimes", "linux-arm64", "native", NativeFileName) }
            .Where(File.Exists)
            .Select(Inspect)
            .ToList();
        var marker = Path.Combine(dir, MarkerFileName);
        return new TorchSharpNativeFacts(LibStdCxxProbe.Probe(), copies, File.Exists(marker) ? marker : null, File.Exists(marker) ? Summarize(marker) : null);
    }

    private static TorchSharpNativeCopy Inspect(string path)
    {
        try
        {
            var need = ElfImage.Read(path).VersionNeeds.FirstOrDefault(n => n.File == ElfSymbolVersions.LibStdCxx && n.Version == ElfSymbolVersions.Glibcxx3432);
            return new TorchSharpNativeCopy(path, need is not null, need?.IsWeak ?? false, null);
        }
        catch (Exception ex) when (ex is ElfFormatException or IOException or UnauthorizedAccessException)
        {
            return new TorchSharpNativeCopy(path, false, false, ex.Message);
        }
    }

    private static string? Summarize(string marker)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(marker));
            var root = doc.RootElement;
            var files = root.GetProperty("files").EnumerateArray()
                .Select(f => $"{f.GetProperty("outcome").GetString()}: {f.GetProperty("message").GetString()}");
            return $"the {root.GetProperty("by").GetString()} step at {root.GetProperty("timeUtc").GetString()} (system libstdc++ then: {root.GetProperty("systemLevel")}) — {string.Join("; ", files)}";
        }
        catch (Exception ex) when (ex is JsonException or IOException or KeyNotFoundException or InvalidOperationException)
        {
            return $"unreadable marker ({ex.Message})";
        }
    }
}

/// <param name="RequiresGlibcxx3432">Whether this copy lists GLIBCXX_3.4.32 in .gnu.version_r at all.</param>
public sealed record TorchSharpNativeCopy(string Path, bool RequiresGlibcxx3432, bool Weak, string? Problem);
