using System.Runtime.InteropServices;
using RigNotebooks.Errors;
using RigNotebooks.Native;
using TorchSharp;

namespace RigNotebooks.Training.Native;

/// <summary>
/// Makes sure TorchSharp's native library can load on this machine before anything touches libtorch.
/// The build already patched the copy in its own output (build/TorchSharpNative.targets); a notebook's
/// <c>#r "nuget: TorchSharp"</c> loads the copy in the NuGet package cache (or TorchSharp's consolidated copy next
/// to TorchSharp.dll), which no build of ours touched. This finds every copy TorchSharp may load and has
/// <see cref="LibTorchSharpPatcher"/> mark the one GLIBCXX_3.4.32 requirement weak where the system lacks it. The
/// kit's trainer calls it itself; a notebook without this assembly calls <see cref="LibTorchSharpPatcher.PatchPackageCache"/>.
/// </summary>
public static class TorchSharpLoader
{
    private const string NativeFileName = TorchSharpNativeFacts.NativeFileName;
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
    public static TorchSharpLoadReport Prepare(IEnumerable<string> candidates) => new(LibTorchSharpPatcher.Patch(candidates), false, null);

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

/// <summary>What <see cref="TorchSharpLoader"/> found and did (<paramref name="Patch"/>), and whether libtorch loaded.</summary>
public sealed record TorchSharpLoadReport(LibTorchSharpPatchReport Patch, bool Loaded, string? LoadError)
{
    public IReadOnlyList<ElfPatchReport> Patches => Patch.Patches;

    public string Describe() => Patch.Describe();
}
