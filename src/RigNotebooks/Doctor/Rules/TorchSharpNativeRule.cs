using RigNotebooks.Model;
using RigNotebooks.Native;

namespace RigNotebooks.Doctor.Rules;

/// <summary>
/// Whether TorchSharp (training) can load on this machine: TorchSharp 0.107's native library requires
/// GLIBCXX_3.4.32 (GCC 13's libstdc++), which Debian 12 and Ubuntu 22.04 lack; the kit's build marks that one unused
/// requirement weak. Reports the system libstdc++ level and what the build did. About this host, so it speaks only for
/// rigs measured here (not for simulated ones), and only when this installation has TorchSharp.
/// </summary>
public sealed class TorchSharpNativeRule(Func<TorchSharpNativeFacts>? facts = null) : IDoctorRule
{
    public IEnumerable<Finding> Check(DoctorInput input)
    {
        if (input.Rig.Source != DataSource.Measured)
        {
            yield break;
        }

        var f = (facts ?? (() => TorchSharpNativeFacts.Gather()))();
        var copies = f.Copies.Where(c => c.RequiresGlibcxx3432).ToList();
        if (copies.Count == 0)
        {
            yield break;
        }

        var level = f.System.Level ?? "unknown";
        var system = $"System libstdc++: {f.System.Path ?? "not found"}, up to {level}.";
        var build = f.BuildSummary is null ? "No build marker found." : $"Build: {f.BuildSummary}.";
        if (f.System.Provides(ElfSymbolVersions.Glibcxx3432))
        {
            yield return new Finding(
                "torchsharp-libstdcxx",
                Severity.Hint,
                $"TorchSharp loads: the system libstdc++ provides {ElfSymbolVersions.Glibcxx3432}",
                $"{system} {build}",
                "Nothing to do.");
            yield break;
        }

        var strong = copies.Where(c => !c.Weak).ToList();
        if (strong.Count == 0)
        {
            yield return new Finding(
                "torchsharp-libstdcxx",
                Severity.Hint,
                $"TorchSharp loads on {level}: its unused {ElfSymbolVersions.Glibcxx3432} requirement is marked weak",
                $"{system} {string.Join(" ", copies.Select(c => $"{c.Path}: {ElfSymbolVersions.Glibcxx3432} weak."))} {build}",
                "Nothing to do. In a notebook that loads TorchSharp with #r \"nuget: TorchSharp\", run RigNotebooks.Native.LibTorchSharpPatcher.PatchPackageCache() in a cell before it: it applies the same patch to the package cache's copy.");
            yield break;
        }

        yield return new Finding(
            "torchsharp-libstdcxx",
            Severity.Warning,
            $"TorchSharp will not load: its native library needs {ElfSymbolVersions.Glibcxx3432} and this libstdc++ stops at {level}",
            $"{system} {string.Join(" ", strong.Select(c => $"{c.Path}: {ElfSymbolVersions.Glibcxx3432} required (strong)."))} {build}",
            "Rebuild without -p:RigPatchLibTorchSharp=false (the build marks the unused requirement weak), or in a notebook run RigNotebooks.Native.LibTorchSharpPatcher.PatchPackageCache() before TorchSharp loads, or install a libstdc++ from GCC 13 or newer.");
    }
}
