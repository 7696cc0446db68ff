using System.Runtime.InteropServices;
using RigNotebooks.Errors;
using RigNotebooks.Native;
using TorchSharp;

namespace RigNotebooks.Training.Native;

/// <summary>
/// Makes sure TorchSharp's native library can load on this machine before anything touches libtorch.
/// The build already patched the copy in its own output (build/TorchSharpNative.targets); a notebook's
/// <c>#r "nuget: TorchSharp"</c> loads the copy in the NuGet package cache (or TorchSharp's consolidated copy next
/// to TorchSharp.dll), which no build of ours touched. This finds every copy TorchSharp may load and, when the
/// system libstdc++ lacks GLIBCXX_3.4.32, marks that one requirement weak in it (same checks and refusals as the
/// build step). Call <see cref="EnsureLoadable"/> first in a notebook; the kit's trainer calls it itself.
/// </summary>
public static class TorchSharpLoader
{
    private const string NativeFileName = "libLibTorchSharp.so";
    private static readonly object Gate = new();
    private static TorchSharpLoadReport? last;

    /// <summary>What the last <see cref="EnsureLoadable"/> found and did, or null before the first call.</summary>
    public static TorchSharpLoadReport? LastReport
    {
        get
        {
            lock (Gate)
            {
                return last;
            }
        }
    }

    /// <summary>Patches what needs patching, then loads libtorch (CPU). Throws <see cref="RigEnvironmentException"/>
    /// with the report when TorchSharp still cannot load. Safe to call many times and from many threads.</summary>
    public static TorchSharpLoadReport EnsureLoadable()
    {
        lock (Gate)
        {
            if (last is { Loaded: true })
            {
                return last;
            }

            var report = Prepare(CandidateFiles());
            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
                report = report with { Loaded = true };
            }
            catch (Exception ex) when (ex is NotSupportedException or DllNotFoundException or TypeInitializationException or InvalidOperationException)
            {
                last = report with { Loaded = false, LoadError = ex.Message };
                throw new RigEnvironmentException(
                    $"TorchSharp's native library did not load: {FirstLine(ex.Message)}. {last.Describe()}", ex);
            }

            last = report;
            return report;
        }
    }

    /// <summary>Patches the given candidate files as needed without loading anything (the testable half).</summary>
    public static TorchSharpLoadReport Prepare(IEnumerable<string> candidates)
    {
        var probe = LibStdCxxProbe.Probe();
        var files = candidates.Where(File.Exists).Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToList();
        var reports = new List<ElfPatchReport>();
        if (!OperatingSystem.IsLinux())
        {
            return new TorchSharpLoadReport(probe, files, reports, "not Linux: nothing to patch", false, null);
        }

        if (probe.Provides(ElfSymbolVersions.Glibcxx3432))
        {
            return new TorchSharpLoadReport(probe, files, reports, $"the system libstdc++ provides {ElfSymbolVersions.Glibcxx3432}: nothing to patch", false, null);
        }

        foreach (var file in files)
        {
            reports.Add(ElfSymbolVersions.MarkVersionWeak(file, ElfSymbolVersions.LibStdCxx, ElfSymbolVersions.Glibcxx3432, ElfSymbolVersions.Gcc13IostreamMarker));
        }

        var refused = reports.Where(r => r.Outcome == ElfPatchOutcome.Refused).ToList();
        var summary = files.Count == 0
            ? $"no {NativeFileName} found where TorchSharp looks"
            : string.Join("; ", reports.Select(r => r.ToString()));
        if (refused.Count > 0)
        {
            throw new RigEnvironmentException(
                $"TorchSharp cannot be made loadable here: {string.Join("; ", refused.Select(r => r.ToString()))}. " +
                $"The system libstdc++ ({probe.Path ?? "not found"}) provides up to {probe.Level ?? "unknown"}; install a libstdc++ with {ElfSymbolVersions.Glibcxx3432} (GCC 13 or newer).");
        }

        return new TorchSharpLoadReport(probe, files, reports, summary, false, null);
    }

    /// <summary>Every place TorchSharp 0.107 may load <c>libLibTorchSharp.so</c> from: the native search directories the
    /// host was given (an app's output), the app folder, the TorchSharp package's runtimes folder, and the
    /// consolidated copies TorchSharp makes next to TorchSharp.dll for .NET Interactive (cpu/, cuda-*/).</summary>
    public static IReadOnlyList<string> CandidateFiles()
    {
        var dirs = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string search)
        {
            dirs.AddRange(search.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        }

        dirs.Add(AppContext.BaseDirectory);
        dirs.Add(Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeRid, "native"));
        var torchSharpDir = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        if (!string.IsNullOrEmpty(torchSharpDir))
        {
            dirs.Add(torchSharpDir);
            dirs.Add(Path.Combine(torchSharpDir, "..", "..", "runtimes", RuntimeRid, "native"));
            if (Directory.Exists(torchSharpDir))
            {
                dirs.AddRange(Directory.EnumerateDirectories(torchSharpDir)
                    .Where(d => Path.GetFileName(d) is "cpu" || Path.GetFileName(d).StartsWith("cuda-", StringComparison.Ordinal)));
            }
        }

        return dirs.Select(d => Path.GetFullPath(Path.Combine(d, NativeFileName))).Distinct(StringComparer.Ordinal).ToList();
    }

    private static string RuntimeRid => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}

/// <summary>What <see cref="TorchSharpLoader"/> found and did: the system libstdc++, the copies it looked at, and each
/// copy's outcome.</summary>
public sealed record TorchSharpLoadReport(
    LibStdCxxInfo System,
    IReadOnlyList<string> FilesExamined,
    IReadOnlyList<ElfPatchReport> Patches,
    string Summary,
    bool Loaded,
    string? LoadError)
{
    public string Describe() =>
        $"System libstdc++: {System.Path ?? "not found"} (up to {System.Level ?? "unknown"}). {Summary}.";
}
