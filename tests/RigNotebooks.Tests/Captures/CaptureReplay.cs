using RigNotebooks.Captures;
using RigNotebooks.Probes;
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

    /// <summary>Unpacks a capture's sysfs.tar.gz (the probes' files from that machine) into a temporary folder and
    /// returns it as a probe root, or null when the capture has none. The caller deletes <see cref="SystemRoot.Root"/>.</summary>
    public static SystemRoot? ExtractSysfs(string name)
    {
        var archive = Path.Combine(RepoPaths.Captures, name, "sysfs.tar.gz");
        if (!File.Exists(archive))
        {
            return null;
        }

        var target = Directory.CreateTempSubdirectory($"rig-capture-sysfs-{name}-").FullName;
        var tar = ChildProcess.Run("tar", ["xzf", archive, "-C", target], TimeSpan.FromSeconds(60));
        if (tar.ExitCode != 0)
        {
            throw new InvalidOperationException($"tar could not unpack {archive} (exit {tar.ExitCode}): {tar.Stderr}");
        }

        return new SystemRoot(target);
    }
}
