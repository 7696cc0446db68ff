namespace RigNotebooks.Training.Collectives;

/// <summary>
/// The abort state the ranks of one communicator share inside this process: the first rank to fail records why and
/// cancels the token every other rank's wait watches, so they leave their collective at once with that reason
/// instead of waiting for their own deadline. (Ranks in other processes learn of it from NCCL itself, as a remote
/// error or their own timeout.)
/// </summary>
internal sealed class GroupAbort : IDisposable
{
    private readonly CancellationTokenSource aborted = new();
    private readonly object gate = new();
    private int members;

    public GroupAbort(int worldSize)
    {
        WorldSize = worldSize;
    }

    public int WorldSize { get; }

    public CancellationToken Token => aborted.Token;

    public bool IsAborted => aborted.IsCancellationRequested;

    /// <summary>The first reason given, and the rank that gave it.</summary>
    public (int Rank, Exception Reason)? First { get; private set; }

    public void Enter() => Interlocked.Increment(ref members);

    /// <summary>True when the last member left.</summary>
    public bool Leave() => Interlocked.Decrement(ref members) == 0;

    /// <summary>Records <paramref name="reason"/> unless another rank aborted first, and releases every waiter.</summary>
    public void Abort(int rank, Exception reason)
    {
        lock (gate)
        {
            First ??= (rank, reason);
        }

        aborted.Cancel();
    }

    public CollectiveAbortedException AbandonedBy(int rank, string what)
    {
        var (abortingRank, reason) = First ?? (-1, new CollectiveException("aborted"));
        return new CollectiveAbortedException(
            $"rank {rank}: {what} abandoned because rank {abortingRank} aborted the group: {reason.Message}", abortingRank, reason);
    }

    public void Dispose() => aborted.Dispose();
}
