namespace RigNotebooks.Probes;

/// <summary>
/// The file system the Linux probes read: "/" on a real machine, a fixture tree in tests. Paths are given as the
/// machine would see them ("/sys/bus/pci/devices"); symbolic links are resolved inside the root, the way sysfs
/// links (<c>../../../devices/pci0000:00/…</c>) resolve on the machine itself.
/// </summary>
public sealed class SystemRoot
{
    public SystemRoot(string root = "/")
    {
        Root = Path.GetFullPath(root);
    }

    public static SystemRoot Machine { get; } = new("/");

    public string Root { get; }

    /// <summary>Where an absolute machine path lies on disk.</summary>
    public string OnDisk(string machinePath) =>
        Root == "/" ? machinePath : Path.Combine(Root, machinePath.TrimStart('/'));

    /// <summary>The machine path of a path on disk under the root.</summary>
    public string ToMachinePath(string onDisk)
    {
        if (Root == "/")
        {
            return onDisk;
        }

        var relative = Path.GetRelativePath(Root, onDisk);
        return "/" + relative.Replace('\\', '/');
    }

    public bool Exists(string machinePath) => File.Exists(OnDisk(machinePath)) || Directory.Exists(OnDisk(machinePath));

    public bool DirectoryExists(string machinePath) => Directory.Exists(OnDisk(machinePath));

    /// <summary>The file's text, or null when it is missing or unreadable (sysfs answers EACCES or EIO for some attributes).</summary>
    public string? ReadText(string machinePath)
    {
        try
        {
            return File.ReadAllText(OnDisk(machinePath));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The first line of the file, trimmed, or null.</summary>
    public string? ReadLine(string machinePath)
    {
        var text = ReadText(machinePath);
        if (text is null)
        {
            return null;
        }

        var end = text.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? text : text[..end]).Trim();
    }

    /// <summary>The file's bytes (as many as the kernel gives this user), or null.</summary>
    public byte[]? ReadBytes(string machinePath)
    {
        try
        {
            return File.ReadAllBytes(OnDisk(machinePath));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Entry names in a directory (files, folders and links), without dot-files, sorted; empty when absent.</summary>
    public IReadOnlyList<string> List(string machinePath)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(OnDisk(machinePath))
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(n => !n.StartsWith('.'))
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The machine path a symbolic link points to, or null when <paramref name="machinePath"/> is not a link.</summary>
    public string? ResolveLink(string machinePath)
    {
        string? target;
        try
        {
            FileSystemInfo info = Directory.Exists(OnDisk(machinePath)) ? new DirectoryInfo(OnDisk(machinePath)) : new FileInfo(OnDisk(machinePath));
            target = info.LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (target is null)
        {
            return null;
        }

        var parent = Path.GetDirectoryName(machinePath.TrimEnd('/')) ?? "/";
        var combined = target.StartsWith('/') ? target : Path.Combine(parent, target);
        return NormalizeMachinePath(combined);
    }

    /// <summary>The last path segment of a link's target (e.g. an IOMMU group number, a driver name), or null.</summary>
    public string? LinkName(string machinePath) => ResolveLink(machinePath) is { } t ? Path.GetFileName(t) : null;

    private static string NormalizeMachinePath(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return "/" + string.Join('/', parts);
    }
}
