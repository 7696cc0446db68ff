namespace RigNotebooks.Native;

/// <summary>The C++ runtime this process (or this machine) uses: which libstdc++.so.6 and the highest GLIBCXX version it
/// defines. TorchSharp 0.107 needs GLIBCXX_3.4.32 unless the kit's patch marked that requirement weak.</summary>
public sealed record LibStdCxxInfo(string? Path, string? Level, IReadOnlyList<string> Versions, string? Problem)
{
    public bool Provides(string version) => Versions.Contains(version, StringComparer.Ordinal);
}

public static class LibStdCxxProbe
{
    /// <summary>The libstdc++ already mapped into this process (from /proc/self/maps), else the one the loader would find.</summary>
    public static LibStdCxxInfo Probe()
    {
        var path = MappedLibrary() ?? ElfSymbolVersions.FindSystemLibrary(ElfSymbolVersions.LibStdCxx);
        return path is null ? new LibStdCxxInfo(null, null, [], $"no {ElfSymbolVersions.LibStdCxx} found") : Read(path);
    }

    /// <summary>Reads the GLIBCXX versions a given libstdc++ defines.</summary>
    public static LibStdCxxInfo Read(string path)
    {
        try
        {
            var image = ElfImage.Read(path);
            var versions = image.VersionDefinitions.Where(v => v.StartsWith("GLIBCXX_", StringComparison.Ordinal)).ToList();
            return new LibStdCxxInfo(path, ElfSymbolVersions.HighestDefinedVersion(path, "GLIBCXX_"), versions, null);
        }
        catch (Exception ex) when (ex is ElfFormatException or IOException or UnauthorizedAccessException)
        {
            return new LibStdCxxInfo(path, null, [], ex.Message);
        }
    }

    private static string? MappedLibrary()
    {
        try
        {
            return File.Exists("/proc/self/maps")
                ? File.ReadLines("/proc/self/maps")
                    .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    .Where(p => p.Length >= 6 && p[^1].Contains("/libstdc++.so.6", StringComparison.Ordinal))
                    .Select(p => p[^1])
                    .FirstOrDefault(File.Exists)
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
