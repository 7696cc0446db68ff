using System.ComponentModel;
using System.Diagnostics;

namespace RigNotebooks.Processes;

/// <summary>
/// <c>rig guard &lt;program&gt; [arguments]</c>: the kit's stand-in between itself and a user's command (<c>train
/// --cmd</c>, an external power-sweep workload). A user's program does not know the kit's stdin lifeline, so the
/// guard holds it for it: it starts the program (stdin closed, stdout and stderr inherited, so its output goes
/// straight to the kit), watches its own stdin, and when that ends — the kit died, even by <c>kill -9</c> — kills
/// the program's whole process tree and then itself. Otherwise it exits with the program's exit code.
/// </summary>
public static class ProcessGuard
{
    /// <summary>The first argument that selects the guard in the <c>rig</c> executable.</summary>
    public const string Verb = "guard";

    /// <summary>Exit code when the program could not be started (the shell's "command not found").</summary>
    public const int CouldNotStart = 127;

    public static int Run(IReadOnlyList<string> command, TextReader stdin, TextWriter stderr)
    {
        if (command.Count == 0)
        {
            stderr.WriteLine("usage: rig guard <program> [arguments...]");
            return 2;
        }

        var info = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        Process child;
        try
        {
            child = Process.Start(info) ?? throw new Win32Exception("no process was started");
        }
        catch (Win32Exception ex)
        {
            stderr.WriteLine($"rig guard: could not start {command[0]}: {ex.Message}");
            return CouldNotStart;
        }

        using (child)
        {
            child.StandardInput.Close();

            // Killing the program ends the wait below; returning then would end this process while the lifeline is
            // still killing the program's descendants, so the main thread leaves the ending to the lifeline.
            var gate = new object();
            var parentGone = false;
            ParentLifeline.Watch(stdin, () =>
            {
                lock (gate)
                {
                    parentGone = true;
                }

                WatchedProcess.KillTree(child);
            });
            child.WaitForExit();
            lock (gate)
            {
                if (!parentGone)
                {
                    return child.ExitCode;
                }
            }

            Thread.Sleep(Timeout.Infinite);
            return child.ExitCode;
        }
    }
}
