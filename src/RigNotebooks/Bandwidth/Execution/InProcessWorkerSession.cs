using System.Threading.Channels;
using RigNotebooks.Rigs;

namespace RigNotebooks.Bandwidth.Execution;

/// <summary>A worker on a thread of this process, for simulated rigs when no rig.dll is at hand (a notebook that
/// loaded only the core library). A simulated hang waits on the cancellation token, so killing it is cancelling it.
/// Real rigs never run watched items this way: a native call that hangs cannot be cancelled.</summary>
internal sealed class InProcessWorkerSession : IWorkerSession
{
    private readonly Channel<WorkerMessage> channel = Channel.CreateUnbounded<WorkerMessage>();
    private readonly CancellationTokenSource cancel = new();

    public InProcessWorkerSession(IRig rig, WorkerJob job)
    {
        Exit = Task.Run(() =>
        {
            try
            {
                WorkerHost.Run(rig, job, m => channel.Writer.TryWrite(m), cancel.Token);
                return new WorkerExit(0, string.Empty);
            }
            catch (OperationCanceledException)
            {
                return new WorkerExit(null, "cancelled by the watchdog");
            }
            catch (Exception ex)
            {
                channel.Writer.TryWrite(WorkerMessage.Fatal($"{ex.GetType().Name}: {ex.Message}"));
                return new WorkerExit(null, ex.ToString());
            }
            finally
            {
                channel.Writer.TryComplete();
            }
        });
    }

    public ChannelReader<WorkerMessage> Messages => channel.Reader;

    public Task<WorkerExit> Exit { get; }

    public string Name => "in-process";

    public void Kill() => cancel.Cancel();

    public void Dispose()
    {
        cancel.Cancel();
        if (Exit.Wait(TimeSpan.FromSeconds(2)))
        {
            cancel.Dispose();
        }
    }
}
