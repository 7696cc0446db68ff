using RigNotebooks.Errors;

namespace RigNotebooks.Native;

/// <summary>
/// Makes copies of TorchSharp's native library loadable where the system libstdc++ lacks <c>GLIBCXX_3.4.32</c> (Debian
/// 12, Ubuntu 22.04): each copy's one requirement of that version, bound only to a GCC 13 marker nothing calls, is
/// marked weak — the same checks and refusals as the build step (build/TorchSharpNative.targets). It lives in the
/// core, without TorchSharp, so a notebook can patch the NuGet cache's copy before <c>#r "nuget: TorchSharp"</c> loads
/// it (<see cref="PatchPackageCache"/>); the training assembly's loader uses it for every copy it may load.
/// </summary>
public static class LibTorchSharpPatcher
{
    /// <summary>Patches the given files as needed; loads nothing. Throws <see cref="RigEnvironmentException"/> when a
    /// copy cannot be made loadable (a relocation uses the symbol, an unexpected layout).</summary>
    public static LibTorchSharpPatchReport Patch(IEnumerable<string> candidates)
    {
        var probe = LibStdCxxProbe.Probe();
        var files = candidates.Where(File.Exists).Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToList();
        var reports = new List<ElfPatchReport>();
        if (!OperatingSystem.IsLinux())
        {
            return new LibTorchSharpPatchReport(probe, files, reports, "not Linux: nothing to patch");
        }

        if (probe.Provides(ElfSymbolVersions.Glibcxx3432))
        {
            return new LibTorchSharpPatchReport(probe, files, reports, $"the system libstdc++ provides {ElfSymbolVersions.Glibcxx3432}: nothing to patch");
        }

        foreach (var file in files)
        {
            reports.Add(ElfSymbolVersions.MarkVersionWeak(file, ElfSymbolVersions.LibStdCxx, ElfSymbolVersions.Glibcxx3432, ElfSymbolVersions.Gcc13IostreamMarker));
        }

        var refused = reports.Where(r => r.Outcome == ElfPatchOutcome.Refused).ToList();
        if (refused.Count > 0)
        {
            throw new RigEnvironmentException(
                $"TorchSharp cannot be made loadable here: {string.Join("; ", refused.Select(r => r.ToString()))}. " +
                $"The system libstdc++ ({probe.Path ?? "not found"}) provides up to {probe.Level ?? "unknown"}; install a libstdc++ with {ElfSymbolVersions.Glibcxx3432} (GCC 13 or newer).");
        }

        var summary = files.Count == 0
            ? $"no {TorchSharpNativeFacts.NativeFileName} found where TorchSharp looks"
            : string.Join("; ", reports.Select(r => r.ToString()));
        return new LibTorchSharpPatchReport(probe, files, reports, summary);
    }

    /// <summary>For a notebook: patches every TorchSharp copy in the NuGet package cache, the copies
    /// <c>#r "nuget: TorchSharp"</c> loads. Call it in a cell before the one that references TorchSharp.</summary>
    public static LibTorchSharpPatchReport PatchPackageCache(string? packagesFolder = null) => Patch(PackageCacheCopies(packagesFolder));

    /// <summary>Every <c>libLibTorchSharp.so</c> of every TorchSharp version in the NuGet package cache
    /// (<c>$NUGET_PACKAGES</c>, else <c>~/.nuget/packages</c>): the package's runtimes folder and the consolidated
    /// copies TorchSharp makes next to TorchSharp.dll for .NET Interactive (<c>cpu/</c>, <c>cuda-*/</c>).</summary>
    public static IReadOnlyList<string> PackageCacheCopies(string? packagesFolder = null)
    {
        var root = packagesFolder
            ?? Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var package = Path.Combine(root, "torchsharp");
        if (!Directory.Exists(package))
        {
            return [];
        }

        return Directory.EnumerateFiles(package, TorchSharpNativeFacts.NativeFileName, SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}

/// <summary>What <see cref="LibTorchSharpPatcher"/> found and did: the system libstdc++, the copies it looked at, and
/// each copy's outcome.</summary>
public sealed record LibTorchSharpPatchReport(
    LibStdCxxInfo System,
    IReadOnlyList<string> FilesExamined,
    IReadOnlyList<ElfPatchReport> Patches,
    string Summary)
{
    public string Describe() =>
        $"System libstdc++: {System.Path ?? "not found"} (up to {System.Level ?? "unknown"}). {Summary}.";
}
