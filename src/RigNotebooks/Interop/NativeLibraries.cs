using System.Reflection;
using System.Runtime.InteropServices;
using RigNotebooks.Errors;

namespace RigNotebooks.Interop;

/// <summary>
/// Loads NVML, the CUDA driver and NCCL once per process and hands their handles to the source-generated
/// <c>[LibraryImport]</c> stubs through this assembly's import resolver. Every binding names its library by
/// soname (<see cref="GpuLibraryInfo.NvmlSoname"/> …); the resolver maps that name to the file found by
/// <see cref="NativeLibraryLocator"/>. Wrappers call <see cref="Require"/> first, so a missing library surfaces as a
/// <see cref="RigEnvironmentException"/> that names every place looked and what to install — never as a
/// <see cref="DllNotFoundException"/> from deep inside a call.
/// </summary>
public static class NativeLibraries
{
    private static readonly object Gate = new();
    private static readonly Dictionary<GpuLibrary, LoadedLibrary> Loaded = [];
    private static readonly Dictionary<GpuLibrary, string> ProcessOverrides = [];
    private static bool resolverInstalled;

    /// <summary>Loads the library if needed and returns its handle, or throws a <see cref="RigEnvironmentException"/>
    /// that says where it looked and what to install.</summary>
    public static nint Require(GpuLibrary library)
    {
        if (TryLoad(library, out var handle, out var whyNot))
        {
            return handle;
        }

        throw new RigEnvironmentException(whyNot);
    }

    /// <summary>Loads the library if needed. On failure, <paramref name="whyNot"/> names every place looked, what each said, and what to install.</summary>
    public static bool TryLoad(GpuLibrary library, out nint handle, out string whyNot)
    {
        lock (Gate)
        {
            InstallResolver();
            if (Loaded.TryGetValue(library, out var loaded))
            {
                handle = loaded.Handle;
                whyNot = string.Empty;
                return true;
            }

            var info = GpuLibraryInfo.Of(library);
            var candidates = ProcessOverrides.TryGetValue(library, out var forced)
                ? [new LibraryCandidate(LibraryCandidateKind.Override, forced, $"{forced} (set by the host program)")]
                : NativeLibraryLocator.ForThisProcess().Candidates(info);
            var attempts = new List<string>();
            foreach (var candidate in candidates)
            {
                if (TryLoadCandidate(candidate, out handle, out var problem))
                {
                    Loaded[library] = new LoadedLibrary(handle, candidate.Value);
                    whyNot = string.Empty;
                    return true;
                }

                attempts.Add($"  - {candidate.Description}: {problem}");
            }

            handle = 0;
            whyNot = $"The {info.DisplayName} library ({info.Sonames[0]}) could not be loaded. Looked in:{Environment.NewLine}" +
                     string.Join(Environment.NewLine, attempts) + Environment.NewLine + info.InstallHint;
            return false;
        }
    }

    /// <summary>Whether the library is loaded or can be, without throwing.</summary>
    public static bool IsAvailable(GpuLibrary library) => TryLoad(library, out _, out _);

    /// <summary>The file or soname the library was loaded from, or null when it is not loaded.</summary>
    public static string? LoadedFrom(GpuLibrary library)
    {
        lock (Gate)
        {
            return Loaded.TryGetValue(library, out var l) ? l.Source : null;
        }
    }

    /// <summary>Makes this process load <paramref name="path"/> for <paramref name="library"/>, ahead of the override variables and the search.
    /// For host programs and tests (the stand-in libraries). Once a library is loaded it stays for the life of the process,
    /// so asking for another file afterwards is an error rather than a silent no-op.</summary>
    public static void UseForProcess(GpuLibrary library, string path)
    {
        lock (Gate)
        {
            if (Loaded.TryGetValue(library, out var loaded))
            {
                if (string.Equals(loaded.Source, path, StringComparison.Ordinal))
                {
                    return;
                }

                throw new InvalidOperationException(
                    $"{GpuLibraryInfo.Of(library).DisplayName} is already loaded from {loaded.Source} in this process; it cannot be switched to {path}.");
            }

            ProcessOverrides[library] = path;
        }
    }

    /// <summary>Looks up an optional entry point (a newer NVML call) in a loaded library; 0 when the library lacks it.</summary>
    public static nint OptionalExport(GpuLibrary library, string name)
    {
        var handle = Require(library);
        return NativeLibrary.TryGetExport(handle, name, out var address) ? address : 0;
    }

    private static bool TryLoadCandidate(LibraryCandidate candidate, out nint handle, out string problem)
    {
        switch (candidate.Kind)
        {
            case LibraryCandidateKind.Soname:
                if (NativeLibrary.TryLoad(candidate.Value, out handle))
                {
                    problem = string.Empty;
                    return true;
                }

                problem = "not found";
                return false;
            default:
                if (!File.Exists(candidate.Value))
                {
                    handle = 0;
                    problem = "no such file";
                    return false;
                }

                try
                {
                    handle = NativeLibrary.Load(candidate.Value);
                    problem = string.Empty;
                    return true;
                }
                catch (DllNotFoundException ex)
                {
                    handle = 0;
                    problem = $"present but could not be loaded: {ex.Message}";
                    return false;
                }
                catch (BadImageFormatException ex)
                {
                    handle = 0;
                    problem = $"present but not a loadable library for this machine: {ex.Message}";
                    return false;
                }
        }
    }

    private static void InstallResolver()
    {
        if (resolverInstalled)
        {
            return;
        }

        NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);
        resolverInstalled = true;
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        GpuLibrary? library = libraryName switch
        {
            GpuLibraryInfo.NvmlSoname => GpuLibrary.Nvml,
            GpuLibraryInfo.CudaSoname => GpuLibrary.Cuda,
            GpuLibraryInfo.NcclSoname => GpuLibrary.Nccl,
            _ => null,
        };

        // Unknown names (libc) and failures fall back to the runtime's default probing.
        return library is { } lib && TryLoad(lib, out var handle, out _) ? handle : 0;
    }

    private sealed record LoadedLibrary(nint Handle, string Source);
}
