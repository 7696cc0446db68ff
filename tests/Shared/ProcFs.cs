using System.Diagnostics;
using System.Globalization;

namespace RigNotebooks.TestShared;

/// <summary>Linux /proc for process-lifetime tests: who a process's descendants are, and whether a process still
/// lives (a zombie, dead but not yet reaped by whoever adopted it, counts as gone). Linked into each test project.</summary>
internal static class ProcFs
{
    public static bool Available => OperatingSystem.IsLinux() && Directory.Exists("/proc/self");

    /// <summary>True while <paramref name="pid"/> exists and is not a zombie.</summary>
    public static bool IsAlive(int pid) => Stat(pid) is { } stat && stat.State is not ('Z' or 'X');

    /// <summary>Every live process below <paramref name="pid"/>, with its command line (NUL-separated arguments
    /// joined by spaces).</summary>
    public static List<(int Pid, string CommandLine)> Descendants(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && Stat(id) is { } stat && stat.State is not ('Z' or 'X'))
            {
                parents[id] = stat.ParentPid;
            }
        }

        var found = new List<(int, string)>();
        var frontier = new Queue<int>([pid]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var (child, _) in parents.Where(p => p.Value == parent))
            {
                found.Add((child, CommandLine(child)));
                frontier.Enqueue(child);
            }
        }

        return found;
    }

    /// <summary>Polls until <paramref name="condition"/> holds or <paramref name="timeout"/> passes (20 ms steps).</summary>
    public static bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            Thread.Sleep(20);
        }

        return true;
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static (char State, int ParentPid)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) S ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture));
    }
}
