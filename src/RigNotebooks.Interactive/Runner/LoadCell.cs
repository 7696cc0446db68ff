using System.Text.RegularExpressions;

namespace RigNotebooks.Interactive.Runner;

/// <summary>
/// The load cell every notebook starts with, <c>#!import ../artifacts/rig-notebooks.dib</c>, and what to do when it
/// cannot resolve: the build writes that file with this clone's absolute feed path and the version it packed, so a
/// clone that was never built (or whose feed was cleaned) has nothing to import. <see cref="FromProcess"/> is the
/// replacement the runner can use then: references to the kit assemblies this process already runs.
/// </summary>
public static partial class LoadCell
{
    /// <summary>Why <paramref name="code"/>, a load cell, would not resolve from <paramref name="folder"/>; null when it
    /// would, or when the cell is not a load cell.</summary>
    public static string? Unresolved(string code, string folder)
    {
        ArgumentNullException.ThrowIfNull(code);
        var import = Import().Match(code);
        if (!import.Success)
        {
            return null;
        }

        var dib = Path.GetFullPath(Path.Combine(folder, import.Groups[1].Value.Trim()));
        if (!File.Exists(dib))
        {
            return $"{dib} does not exist (build the repository once: dotnet build)";
        }

        var text = File.ReadAllText(dib);
        var feed = Feed().Match(text);
        var package = Package().Match(text);
        if (!feed.Success || !package.Success)
        {
            return $"{dib} names no package feed or version";
        }

        var nupkg = Path.Combine(feed.Groups[1].Value, $"RigNotebooks.Interactive.{package.Groups[1].Value}.nupkg");
        return File.Exists(nupkg) ? null : $"{dib} names {nupkg}, which does not exist (rebuild: dotnet build)";
    }

    /// <summary>A load cell that references the kit assemblies loaded in this process and does what the .dib does.</summary>
    public static string FromProcess()
    {
        var assemblies = new[] { typeof(Results.RunStore).Assembly, typeof(Plots.Figure).Assembly, typeof(RigKit).Assembly };
        var references = assemblies.Select(a => $"#r \"{a.Location}\"");
        var usings = RigKit.Usings.Select(u => $"using {u};");
        return string.Join("\n", references.Concat(usings).Append("RigKit.Load()"));
    }

    [GeneratedRegex("""^\s*#!import\s+(\S*rig-notebooks\.dib)\s*$""", RegexOptions.Multiline)]
    private static partial Regex Import();

    [GeneratedRegex("""#i\s+"nuget:\s*([^"]+)"\s*$""", RegexOptions.Multiline)]
    private static partial Regex Feed();

    [GeneratedRegex("""#r\s+"nuget:\s*RigNotebooks\.Interactive,\s*([^"\s]+)\s*"\s*$""", RegexOptions.Multiline)]
    private static partial Regex Package();
}
