using System.Reflection;

namespace RigNotebooks.Data;

/// <summary>Reads the JSON data files (rig profiles, catalogs, prices) embedded in this assembly from <c>data/</c>.</summary>
public static class EmbeddedData
{
    private static readonly Assembly Assembly = typeof(EmbeddedData).Assembly;

    /// <summary>Names of embedded files under a folder, e.g. <c>rigs</c> → <c>blog-3x3090.json</c>, sorted.</summary>
    public static IReadOnlyList<string> List(string folder)
    {
        var prefix = $"data/{folder.Trim('/')}/";
        return Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && !n[prefix.Length..].Contains('/'))
            .Select(n => n[prefix.Length..])
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public static bool Exists(string relativePath) =>
        Assembly.GetManifestResourceInfo($"data/{relativePath}") is not null;

    /// <summary>The text of an embedded file, e.g. <c>rigs/blog-3x3090.json</c>.</summary>
    public static string ReadText(string relativePath)
    {
        using var stream = Assembly.GetManifestResourceStream($"data/{relativePath}")
            ?? throw new FileNotFoundException($"No embedded data file 'data/{relativePath}'.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
