using System.ComponentModel;

namespace RigNotebooks.Processes;

/// <summary>Finds the file a program name starts, the way <see cref="System.Diagnostics.Process.Start()"/> does on
/// Unix (a path as given, relative to this process's folder; a bare name in the application's folder, the current
/// folder, then each PATH entry), so a command started through <see cref="ProcessGuard"/> fails to start here, with
/// the same <see cref="Win32Exception"/>, rather than later inside the guard.</summary>
internal static class ExecutablePath
{
    private const int NoSuchFile = 2;
    private const int PermissionDenied = 13;

    /// <summary>The full path of <paramref name="fileName"/>.</summary>
    /// <exception cref="Win32Exception">Not found, or found but not executable.</exception>
    public static string Resolve(string fileName)
    {
        var candidates = new List<string>();
        if (fileName.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) || fileName.Contains(Path.AltDirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(fileName))
        {
            candidates.Add(Path.GetFullPath(fileName));
        }
        else
        {
            if (Environment.ProcessPath is { } self && Path.GetDirectoryName(self) is { Length: > 0 } appFolder)
            {
                candidates.Add(Path.Combine(appFolder, fileName));
            }

            candidates.Add(Path.Combine(Directory.GetCurrentDirectory(), fileName));
            foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                candidates.Add(Path.Combine(folder, fileName));
            }
        }

        var existing = candidates.Where(File.Exists).ToList();
        if (existing.Count == 0)
        {
            throw new Win32Exception(NoSuchFile);
        }

        return existing.FirstOrDefault(IsExecutable) ?? throw new Win32Exception(PermissionDenied);
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows()
        || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
