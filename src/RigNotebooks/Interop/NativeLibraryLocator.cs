namespace RigNotebooks.Interop;

/// <summary>Where the kit looks for one native library, in order: the override variable, the sonames through the
/// system loader, then (NCCL only) the places pip and conda put it. Pure over an environment and a root directory,
/// so tests can check the search without loading anything.</summary>
public sealed class NativeLibraryLocator
{
    /// <summary>Folders under a Python environment where NVIDIA's pip wheels put libnccl.so.2
    /// (nvidia-nccl-cu12 and nvidia-nccl-cu13 use nvidia/nccl/lib; CUDA 13 wheels group others under nvidia/cu13/lib).</summary>
    private static readonly string[] PipNcclFolders = ["nvidia/nccl/lib", "nvidia/cu13/lib", "nvidia/cu12/lib"];

    private readonly IReadOnlyDictionary<string, string?> environment;
    private readonly string root;

    /// <param name="environment">The process environment (or a test's).</param>
    /// <param name="root">The file system root the fixed locations are resolved under ("/" on a real machine).</param>
    public NativeLibraryLocator(IReadOnlyDictionary<string, string?> environment, string root = "/")
    {
        this.environment = environment;
        this.root = root;
    }

    public static NativeLibraryLocator ForThisProcess()
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            env[(string)e.Key] = e.Value as string;
        }

        return new NativeLibraryLocator(env);
    }

    /// <summary>The places to try, in order. An override, when set, is the only candidate: the user asked for that file.</summary>
    public IReadOnlyList<LibraryCandidate> Candidates(GpuLibraryInfo info)
    {
        if (Get(info.OverrideVariable) is { Length: > 0 } overridePath)
        {
            return [new LibraryCandidate(LibraryCandidateKind.Override, overridePath, $"{info.OverrideVariable}={overridePath}")];
        }

        var list = info.Sonames.Select(s => new LibraryCandidate(LibraryCandidateKind.Soname, s, $"{s} on the system library path (ld.so.cache, LD_LIBRARY_PATH)")).ToList();
        if (info.Library == GpuLibrary.Nccl)
        {
            list.AddRange(NcclFileLocations().Select(p => new LibraryCandidate(LibraryCandidateKind.File, p, p)));
        }

        return list;
    }

    /// <summary>Python environments and conda prefixes that commonly hold NCCL, existing or not, deduplicated.</summary>
    public IReadOnlyList<string> NcclFileLocations()
    {
        var home = Get("HOME");
        var pythonPrefixes = new List<string?>
        {
            Get("VIRTUAL_ENV"),
            Get("CONDA_PREFIX"),
            "/opt/torch/.venv",
            home is null ? null : Path.Combine(home, ".local"),
            "/usr/local",
            "/usr",
            "/opt/conda",
            home is null ? null : Path.Combine(home, "miniconda3"),
            home is null ? null : Path.Combine(home, "anaconda3"),
        };
        var condaLibs = new List<string?>
        {
            Get("CONDA_PREFIX"),
            "/opt/conda",
            home is null ? null : Path.Combine(home, "miniconda3"),
            home is null ? null : Path.Combine(home, "anaconda3"),
        };

        var result = new List<string>();
        foreach (var prefix in pythonPrefixes.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            foreach (var sitePackages in SitePackages(prefix))
            {
                result.AddRange(PipNcclFolders.Select(folder => $"{sitePackages}/{folder}/{GpuLibraryInfo.NcclSoname}"));
            }
        }

        result.AddRange(condaLibs.OfType<string>().Distinct(StringComparer.Ordinal).Select(p => $"{p.TrimEnd('/')}/lib/{GpuLibraryInfo.NcclSoname}"));
        return result.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The path as seen from the locator's root (tests point the root at a fixture tree).</summary>
    public string UnderRoot(string absolutePath) =>
        root == "/" ? absolutePath : Path.Combine(root, absolutePath.TrimStart('/'));

    private IEnumerable<string> SitePackages(string prefix)
    {
        var lib = $"{prefix.TrimEnd('/')}/lib";
        var libOnDisk = UnderRoot(lib);
        if (!Directory.Exists(libOnDisk))
        {
            yield break;
        }

        IEnumerable<string> pythons;
        try
        {
            pythons = Directory.EnumerateDirectories(libOnDisk, "python3*").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        }
        catch (IOException)
        {
            yield break;
        }
        catch (UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var python in pythons)
        {
            yield return $"{lib}/{python}/site-packages";
            yield return $"{lib}/{python}/dist-packages";
        }
    }

    private string? Get(string name) => environment.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v : null;
}

public enum LibraryCandidateKind
{
    /// <summary>An exact file named by the library's override variable.</summary>
    Override,

    /// <summary>A soname resolved by the system loader.</summary>
    Soname,

    /// <summary>An exact file at a well-known location.</summary>
    File,
}

/// <summary>One place to try; <paramref name="Description"/> is how the "where I looked" message names it.</summary>
public sealed record LibraryCandidate(LibraryCandidateKind Kind, string Value, string Description);
