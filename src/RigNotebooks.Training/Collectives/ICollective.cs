namespace RigNotebooks.Training.Collectives;

/// <summary>How an all-reduce combines the ranks' buffers.</summary>
public enum ReduceOp
{
    Sum,
    Average,
}

/// <summary>Element types a collective moves (the NCCL names: float32 = 7, bf16 = 9).</summary>
public enum CollectiveDataType
{
    Float32,
    BFloat16,
}

/// <summary>
/// One rank's handle on a communicator: the operations data parallelism needs, over flat buffers given by address
/// (host memory for CPU replicas, device memory for NCCL). Calls are collective: every rank of the group makes the
/// same calls in the same order with the same counts, and each call returns when this rank's part is done. A call
/// that cannot complete (a rank failed, a rank never arrived) throws a <see cref="CollectiveException"/> on every
/// rank instead of hanging.
/// </summary>
public interface ICollective : IDisposable
{
    int Rank { get; }

    int WorldSize { get; }

    /// <summary>"cpu", "nccl", …</summary>
    string Backend { get; }

    /// <summary>Whether <see cref="ReduceOp.Average"/> is available (NCCL before 2.10 has no ncclAvg); when it is not,
    /// callers all-reduce with <see cref="ReduceOp.Sum"/> and scale by 1/<see cref="WorldSize"/> themselves.</summary>
    bool SupportsAverage => true;

    /// <summary>In place: afterwards every rank's buffer holds the element-wise sum (or mean) over ranks.</summary>
    void AllReduce(IntPtr buffer, long count, CollectiveDataType type, ReduceOp op);

    /// <summary>In place: afterwards every rank's buffer holds the root's.</summary>
    void Broadcast(IntPtr buffer, long count, CollectiveDataType type, int root);

    /// <summary>Tears the communicator down because of <paramref name="reason"/> (ncclCommAbort): every rank's pending
    /// and later calls throw <see cref="CollectiveAbortedException"/> carrying it. Safe to call from any rank, twice.</summary>
    void Abort(Exception reason);
}

/// <summary>Creates communicators. Rank 0 makes a <see cref="RendezvousToken"/> (for NCCL, an ncclUniqueId); the token
/// reaches every rank through an <see cref="IRendezvous"/>; each rank joins with it.</summary>
public interface ICollectiveBackend
{
    string Name { get; }

    RendezvousToken CreateToken(int worldSize);

    ICollective Join(RendezvousToken token, int rank, int worldSize);
}
