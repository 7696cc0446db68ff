using System.ComponentModel;
using System.Diagnostics;
using RigNotebooks.Bandwidth.Execution;

namespace RigNotebooks.Processes;

/// <summary>Which of a child's output streams a line came from.</summary>
public enum OutputStream
{
    Stdout,
    Stderr,
}

/// <summary>
/// A user's command run by the kit: started from an argument list (never a shell string) with extra environment
/// variables and its stdin closed (nobody answers it), each line of stdout and stderr handed to a callback as it
/// arrives. Where the <c>rig</c> command can be found (the CLI, a notebook loading the kit from the CLI's folder) and
/// on Unix, the command runs under <see cref="ProcessGuard"/>, whose stdin this object holds open: if the kit dies,
/// even by <c>kill -9</c>, the guard kills the command's whole tree instead of leaving it running on the GPUs. It keeps the time since the command last printed (<see cref="Silence"/>), so a watchdog can tell a hang
/// from a long run, and <see cref="Kill"/> ends the whole process tree (a launcher's workers too). The watchdog
/// policy (limits, what a hang means) is the caller's.
/// </summary>
internal sealed class WatchedProcess : IDisposable
{
    private readonly Process process;
    private readonly Stopwatch clock = new();
    private long lastOutputTicks;

    private readonly bool guarded;

    private WatchedProcess(Process process, bool guarded)
    {
        this.process = process;
        this.guarded = guarded;
    }

    /// <summary>Time since the process started.</summary>
    public TimeSpan Elapsed => clock.Elapsed;

    /// <summary>Time since the process last printed a line (or started, if it has printed nothing).</summary>
    public TimeSpan Silence => clock.Elapsed - TimeSpan.FromTicks(Interlocked.Read(ref lastOutputTicks));

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>; <paramref name="onLine"/> may be
    /// called from two threads at once (stdout and stderr).</summary>
    /// <exception cref="Win32Exception">The program could not be started (not found, not executable).</exception>
    public static WatchedProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        IEnumerable<KeyValuePair<string, string>>? environment,
        string? workingDirectory,
        Action<string, OutputStream> onLine)
    {
        var guard = OperatingSystem.IsWindows() ? null : WorkerLocator.Locate(out _);
        if (guard is not null)
        {
            arguments = [.. guard.PrefixArguments, ProcessGuard.Verb, ExecutablePath.Resolve(fileName), .. arguments];
            fileName = guard.FileName;
        }

        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? [])
        {
            info.Environment[key] = value;
        }

        var watched = new WatchedProcess(new Process { StartInfo = info }, guard is not null);
        watched.process.OutputDataReceived += (_, e) => watched.OnData(e.Data, OutputStream.Stdout, onLine);
        watched.process.ErrorDataReceived += (_, e) => watched.OnData(e.Data, OutputStream.Stderr, onLine);
        watched.clock.Start();
        try
        {
            watched.process.Start();
        }
        catch
        {
            watched.process.Dispose();
            throw;
        }

        if (!watched.guarded)
        {
            watched.process.StandardInput.Close();
        }

        watched.process.BeginOutputReadLine();
        watched.process.BeginErrorReadLine();
        return watched;
    }

    /// <summary>Kills <paramref name="process"/> and every process below it; quiet when they have already gone. The
    /// descendants are read from /proc before the kill (on Linux), so a child forked in the same clock tick as its
    /// parent, which <see cref="Process.Kill(bool)"/> misses, goes too.</summary>
    public static void KillTree(Process process)
    {
        List<int> descendants;
        try
        {
            descendants = LinuxProcessTable.Descendants(process.Id);
        }
        catch (InvalidOperationException)
        {
            return; // never started, or already gone and disposed
        }

        Quietly(() => process.Kill(entireProcessTree: true));
        foreach (var pid in descendants)
        {
            Quietly(() =>
            {
                using var descendant = Process.GetProcessById(pid);
                descendant.Kill();
            });
        }
    }

    private static void Quietly(Action kill)
    {
        try
        {
            kill();
        }
        catch (ArgumentException)
        {
            // No such process any more.
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (Win32Exception)
        {
            // Exiting right now, or not ours to kill any more.
        }
    }

    /// <summary>Waits up to <paramref name="milliseconds"/> for the process to exit.</summary>
    public bool WaitForExit(int milliseconds) => process.WaitForExit(milliseconds);

    /// <summary>Waits for the exit and for the last of its output to be handed over.</summary>
    public void WaitForExit() => process.WaitForExit();

    /// <summary>Kills the process and its whole tree.</summary>
    public void Kill()
    {
        KillTree(process);
        CloseLifeline();
    }

    /// <summary>Lets go of the command; a guarded one that is still running is killed by its guard.</summary>
    public void Dispose()
    {
        CloseLifeline();
        process.Dispose();
    }

    private void CloseLifeline()
    {
        if (!guarded)
        {
            return;
        }

        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }

    private void OnData(string? line, OutputStream stream, Action<string, OutputStream> onLine)
    {
        if (line is null)
        {
            return;
        }

        Interlocked.Exchange(ref lastOutputTicks, clock.Elapsed.Ticks);
        onLine(line, stream);
    }
}
