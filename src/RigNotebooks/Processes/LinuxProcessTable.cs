using System.Globalization;

namespace RigNotebooks.Processes;

/// <summary>
/// The descendants of a process, read from /proc on Linux. <see cref="System.Diagnostics.Process.Kill(bool)"/> with
/// the whole tree counts a process as a child only when it started strictly later than its parent, to the clock
/// tick, so a child forked within the same 10 ms (a shell script's first background job) is missed and survives
/// the kill; the parent links in /proc have no such blind spot.
/// </summary>
internal static class LinuxProcessTable
{
    /// <summary>Every process below <paramref name="pid"/>, nearest first; empty where /proc cannot be read.</summary>
    public static List<int> Descendants(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        var parents = new List<(int Pid, int Parent)>();
        try
        {
            foreach (var folder in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && ParentOf(id) is { } parent)
                {
                    parents.Add((id, parent));
                }
            }
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }

        var found = new List<int>();
        var frontier = new Queue<int>([pid]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var (child, _) in parents.Where(p => p.Parent == parent))
            {
                found.Add(child);
                frontier.Enqueue(child);
            }
        }

        return found;
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            // "pid (comm) S ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent) ? parent : null;
        }
        catch (IOException)
        {
            return null; // the process ended while the table was read
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
