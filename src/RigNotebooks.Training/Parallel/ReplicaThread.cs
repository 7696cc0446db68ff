using System.Collections.Concurrent;

namespace RigNotebooks.Training.Parallel;

/// <summary>The one OS thread a replica lives on for its whole life. .NET has no global interpreter lock, so R replica
/// threads drive R devices (or R groups of CPU cores) truly in parallel inside one process — no torchrun, no
/// process per GPU. libtorch state that is per thread (grad mode, OpenMP thread count, TorchSharp's dispose scopes)
/// stays with the replica.</summary>
internal sealed class ReplicaThread : IDisposable
{
    private readonly BlockingCollection<Action> work = new();
    private readonly Thread thread;

    public ReplicaThread(string name)
    {
        thread = new Thread(Loop) { IsBackground = true, Name = name };
        thread.Start();
    }

    /// <summary>Runs <paramref name="job"/> on this replica's thread.</summary>
    public Task<T> Run<T>(Func<T> job)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        work.Add(() =>
        {
            try
            {
                done.SetResult(job());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        });
        return done.Task;
    }

    public void Dispose()
    {
        work.CompleteAdding();
        thread.Join();
        work.Dispose();
    }

    private void Loop()
    {
        foreach (var job in work.GetConsumingEnumerable())
        {
            job();
        }
    }
}
