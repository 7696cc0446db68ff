using RigNotebooks.Captures;
using RigNotebooks.Rigs;
using RigNotebooks.Tests.Support;

namespace RigNotebooks.Tests.Captures;

/// <summary>The captures committed under data/captures/&lt;gpu&gt;-&lt;date&gt;/ (each with the topo.json the GPU check saved),
/// for replay tests. A capture-specific test opens one by name and checks its real values.</summary>
public static class CaptureReplay
{
    /// <summary>Capture folder names that hold a topo.json.</summary>
    public static IReadOnlyList<string> Names() =>
        Directory.Exists(RepoPaths.Captures)
            ? Directory.EnumerateDirectories(RepoPaths.Captures)
                .Where(d => File.Exists(Path.Combine(d, CapturedRig.TopoFile)))
                .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>Opens a capture the way users do, through the rig selection string.</summary>
    public static IRig Open(string name) => RigSelector.Open($"{CapturedRig.Prefix}{Path.Combine(RepoPaths.Captures, name)}");
}
