using System.Diagnostics;

namespace RigNotebooks.Processes;

/// <summary>
/// The child's end of the kit's rule that no child outlives its parent. A kit process that starts another kit
/// process (the watchdog's <c>rig worker</c>, the <c>rig guard</c> around a user's command) keeps the child's stdin
/// pipe open for the child's whole life and writes nothing on it after the first line. When the parent ends — it
/// exits, crashes, is killed with <c>kill -9</c>, a notebook kernel is restarted — the kernel closes the parent's
/// end and the child's stdin reads end-of-file. A background thread blocks on that read and then kills this process
/// at once with SIGKILL (<see cref="Process.Kill()"/> on the current process): no finalizers, no shutdown handlers,
/// because the main thread may be stuck in a driver call (a hung peer copy) and anything that waited on it would
/// hang too.
/// <para>
/// Why not <c>PR_SET_PDEATHSIG</c>: it fires when the parent's <em>thread</em> that forked the child ends, and in
/// .NET that is any thread-pool thread, so healthy children would die at random; it is also Linux-only.
/// </para>
/// </summary>
public static class ParentLifeline
{
    /// <summary>Reads the parent's one message (the first line of <paramref name="stdin"/>) and starts watching the
    /// rest of stdin. Null when stdin ended before a full line: the parent is already gone (nothing is watched then,
    /// so the caller can still say why it gives up).</summary>
    public static string? ReadFirstLineThenWatch(TextReader stdin, Action? beforeDying = null)
    {
        var first = stdin.ReadLine();
        if (first is not null)
        {
            Watch(stdin, beforeDying);
        }

        return first;
    }

    /// <summary>Starts the background thread that kills this process when <paramref name="stdin"/> ends; anything the
    /// parent writes meanwhile is read and ignored. <paramref name="beforeDying"/> runs first (the guard kills its
    /// user's command there); it must not block.</summary>
    public static void Watch(TextReader stdin, Action? beforeDying = null)
    {
        var thread = new Thread(() =>
        {
            try
            {
                while (stdin.ReadLine() is not null)
                {
                }
            }
            catch (IOException)
            {
                // A broken pipe is the parent going away as well.
            }
            catch (ObjectDisposedException)
            {
            }

            try
            {
                beforeDying?.Invoke();
            }
            finally
            {
                KillSelf();
            }
        })
        {
            IsBackground = true,
            Name = "parent lifeline",
        };
        thread.Start();
    }

    /// <summary>SIGKILL to this process (TerminateProcess on Windows): ends it now, whatever its threads are doing.</summary>
    public static void KillSelf()
    {
        using var self = Process.GetCurrentProcess();
        self.Kill();
    }
}
