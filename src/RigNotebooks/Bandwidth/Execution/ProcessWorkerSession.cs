using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using RigNotebooks.Processes;

namespace RigNotebooks.Bandwidth.Execution;

/// <summary>A worker in a child process: the job goes to its stdin as one line, protocol lines come from its stdout,
/// the last few kilobytes of its stderr are kept for the crash note. Killing it kills its whole process tree. Stdin
/// stays open until the session is killed or disposed: it is the worker's lifeline (<see cref="ParentLifeline"/>),
/// so if this process dies — even by SIGKILL, with no chance to kill anything — the worker sees end-of-file and
/// kills itself instead of holding a GPU context forever.</summary>
internal sealed class ProcessWorkerSession : IWorkerSession
{
    private const int StderrKeepChars = 4000;

    private readonly Process process;
    private readonly Channel<WorkerMessage> channel = Channel.CreateUnbounded<WorkerMessage>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly StringBuilder stderr = new();
    private readonly Task stdoutPump;
    private readonly Task stderrPump;
    private readonly Task jobWritten;

    private ProcessWorkerSession(Process process, string job)
    {
        this.process = process;
        Name = $"pid {process.Id}";
        stdoutPump = Task.Run(PumpStdout);
        stderrPump = Task.Run(PumpStderr);
        jobWritten = Task.Run(async () =>
        {
            try
            {
                await process.StandardInput.WriteLineAsync(job).ConfigureAwait(false);
                await process.StandardInput.FlushAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The worker died before reading its job; its exit tells the rest.
            }
            catch (ObjectDisposedException)
            {
                // Killed before the job was written.
            }
        });
        Exit = WaitForExit();
    }

    public ChannelReader<WorkerMessage> Messages => channel.Reader;

    public Task<WorkerExit> Exit { get; }

    public string Name { get; }

    public static ProcessWorkerSession Start(WorkerCommand command, WorkerJob job, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in command.PrefixArguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("worker");
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the worker '{command}'.");
        return new ProcessWorkerSession(process, job.ToJson());
    }

    public void Kill()
    {
        WatchedProcess.KillTree(process);
        CloseLifeline();
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    /// <summary>Closing stdin tells the worker to die, should the kill have missed it (after the job's write, which
    /// the kill ends if the worker never read it).</summary>
    private void CloseLifeline() =>
        _ = jobWritten.ContinueWith(_ => CloseStdin(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private void CloseStdin()
    {
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
        }
        catch (InvalidOperationException)
        {
            // Includes ObjectDisposedException: the session was disposed first.
        }
    }

    private async Task PumpStdout()
    {
        try
        {
            while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (WorkerMessage.TryParse(line, out var message))
                {
                    await channel.Writer.WriteAsync(message).ConfigureAwait(false);
                }
            }
        }
        catch (IOException)
        {
            // The pipe broke when the process was killed.
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            channel.Writer.TryComplete();
        }
    }

    private async Task PumpStderr()
    {
        var buffer = new char[1024];
        try
        {
            int read;
            while ((read = await process.StandardError.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                lock (stderr)
                {
                    stderr.Append(buffer, 0, read);
                    if (stderr.Length > StderrKeepChars * 2)
                    {
                        stderr.Remove(0, stderr.Length - StderrKeepChars);
                    }
                }
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task<WorkerExit> WaitForExit()
    {
        await process.WaitForExitAsync().ConfigureAwait(false);
        await Task.WhenAny(Task.WhenAll(stdoutPump, stderrPump), Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        string tail;
        lock (stderr)
        {
            tail = stderr.Length > StderrKeepChars ? stderr.ToString(stderr.Length - StderrKeepChars, StderrKeepChars) : stderr.ToString();
        }

        return new WorkerExit(process.ExitCode, tail.Trim());
    }
}
