using RigNotebooks.Errors;
using RigNotebooks.Interop.Cuda;
using RigNotebooks.Interop.Nccl;

namespace RigNotebooks.Training.Collectives;

/// <summary>
/// One replica's NCCL rank. Buffers are device addresses (a TorchSharp tensor's storage pointer plus its offset).
/// TorchSharp exposes no CUDA stream, so the caller synchronises its device before a call (the trainer does), each
/// call is queued on this rank's own stream in the device's primary context — the one libtorch uses — and the call
/// returns only when NCCL reports no error and that stream has finished, polled against the backend's deadline.
/// Any failure (an NCCL error, an asynchronous error, the deadline) aborts this rank's communicator and the group,
/// so the other ranks leave their calls at once with that reason: one clear error on every replica, never a hang.
/// The communicator belongs to the thread that joined; it is only ever aborted or destroyed on that thread.
/// </summary>
internal sealed class NcclCollective : ICollective
{
    private readonly NcclCollectiveBackend backend;
    private readonly GroupAbort group;
    private readonly CudaContext context;
    private readonly CudaStream stream;
    private readonly NcclCommunicator comm;
    private readonly Action release;
    private readonly int ownerThread = Environment.CurrentManagedThreadId;
    private long calls;
    private bool commGone;
    private bool failed;
    private bool disposed;

    private NcclCollective(NcclCollectiveBackend backend, GroupAbort group, CudaContext context, CudaStream stream, NcclCommunicator comm, int rank, int worldSize, int device, Action release)
    {
        this.backend = backend;
        this.group = group;
        this.context = context;
        this.stream = stream;
        this.comm = comm;
        this.release = release;
        Rank = rank;
        WorldSize = worldSize;
        Device = device;
    }

    public int Rank { get; }

    public int WorldSize { get; }

    /// <summary>The CUDA device ordinal this rank runs on.</summary>
    public int Device { get; }

    public string Backend => "nccl";

    public bool SupportsAverage => backend.SupportsAverage;

    public static NcclCollective Join(NcclCollectiveBackend backend, GroupAbort group, NcclUniqueId id, int rank, int worldSize, int device, Action release)
    {
        CudaContext? context = null;
        CudaStream? stream = null;
        NcclCollective? collective = null;
        try
        {
            if (group.IsAborted)
            {
                throw group.AbandonedBy(rank, "joining");
            }

            context = CudaDriver.Initialize().Device(device).RetainPrimaryContext();
            stream = context.CreateStream(nonBlocking: true);
            context.MakeCurrent(); // NCCL takes the rank's GPU from the calling thread's current context
            var comm = backend.NonBlocking
                ? NcclCommunicator.InitRankNonBlocking(worldSize, id, rank)
                : NcclCommunicator.InitRank(worldSize, id, rank);
            collective = new NcclCollective(backend, group, context, stream, comm, rank, worldSize, device, release);
            collective.Await(backend.NonBlocking ? "joining (ncclCommInitRankConfig)" : "joining (ncclCommInitRank)", null);
            return collective;
        }
        catch (Exception ex)
        {
            if (collective is not null)
            {
                collective.Dispose(); // aborts the half-made communicator and releases the group
            }
            else
            {
                stream?.Dispose();
                context?.Dispose();
                group.Abort(rank, ex);
                release();
            }

            if (ex is CollectiveException)
            {
                throw;
            }

            if (ex is GpuLibraryException gpu)
            {
                throw new CollectiveException($"rank {rank} could not join the NCCL communicator on CUDA device {device}: {gpu.Message}", gpu);
            }

            throw;
        }
    }

    public void AllReduce(IntPtr buffer, long count, CollectiveDataType type, ReduceOp op)
    {
        if (op == ReduceOp.Average && !backend.SupportsAverage)
        {
            throw new CollectiveException($"NCCL {backend.Version} has no built-in average (ncclAvg came in 2.10): all-reduce with Sum and scale by 1/{WorldSize}.");
        }

        Run("all-reduce", buffer, count, () => comm.AllReduce(Address(buffer), Address(buffer), count, DataType(type), Reduction(op), stream));
    }

    public void Broadcast(IntPtr buffer, long count, CollectiveDataType type, int root)
    {
        if (root < 0 || root >= WorldSize)
        {
            throw new ArgumentOutOfRangeException(nameof(root), $"Broadcast root {root} is not a rank of {WorldSize}.");
        }

        Run("broadcast", buffer, count, () => comm.Broadcast(Address(buffer), Address(buffer), count, DataType(type), root, stream));
    }

    public void Abort(Exception reason)
    {
        group.Abort(Rank, reason);
        if (Environment.CurrentManagedThreadId == ownerThread)
        {
            AbortCommunicator();
        }

        // From another thread only the group is marked: the owner aborts its communicator at its next call or on
        // Dispose, and a wait in progress on the owner's thread sees the group's token and does it at once.
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        try
        {
            if (failed || group.IsAborted)
            {
                AbortCommunicator();
            }
            else if (!commGone)
            {
                commGone = true;
                if (!comm.Close(backend.Timeout))
                {
                    group.Abort(Rank, new CollectiveException($"rank {Rank}: finalizing the NCCL communicator did not finish in {backend.Timeout.TotalSeconds:0.#} s; it was aborted"));
                }
            }
        }
        finally
        {
            stream.Dispose();
            context.Dispose();
            release();
        }
    }

    /// <summary>NCCL's codes: float32 = 7, bf16 = 9.</summary>
    internal static NcclDataType DataType(CollectiveDataType type) => type switch
    {
        CollectiveDataType.Float32 => NcclDataType.Float32,
        CollectiveDataType.BFloat16 => NcclDataType.BFloat16,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No NCCL data type for this element type."),
    };

    /// <summary>NCCL's codes: sum = 0, avg = 4.</summary>
    internal static NcclReduction Reduction(ReduceOp op) => op switch
    {
        ReduceOp.Sum => NcclReduction.Sum,
        ReduceOp.Average => NcclReduction.Average,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "No NCCL reduction for this operation."),
    };

    private static ulong Address(IntPtr buffer) => unchecked((ulong)buffer.ToInt64());

    private void Run(string what, IntPtr buffer, long count, Func<NcclResult> queue)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (buffer == IntPtr.Zero)
        {
            throw new ArgumentException("A collective needs a device address, not a null pointer.", nameof(buffer));
        }

        var label = $"{what} #{++calls} ({count} elements)";
        if (group.IsAborted)
        {
            AbortCommunicator();
            throw group.AbandonedBy(Rank, label);
        }

        if (commGone)
        {
            throw new CollectiveException($"rank {Rank}: {label} refused: this rank's NCCL communicator was aborted after an earlier failure");
        }

        try
        {
            context.MakeCurrent();
            _ = queue();
        }
        catch (GpuLibraryException ex)
        {
            throw Fail(new CollectiveException($"rank {Rank}: {label} failed: {ex.Message}", ex));
        }

        Await(label, stream);
    }

    private void Await(string label, CudaStream? on)
    {
        NcclWaitResult wait;
        try
        {
            wait = comm.Wait(on, backend.Timeout, label, group.Token);
        }
        catch (GpuLibraryException ex)
        {
            throw Fail(new CollectiveException($"rank {Rank}: {label} failed: {ex.Message}", ex));
        }

        switch (wait.Outcome)
        {
            case NcclWaitOutcome.Completed:
                return;
            case NcclWaitOutcome.Failed:
                throw Fail(new CollectiveException($"rank {Rank}: {label} failed: {wait.Error!.Message}", wait.Error!));
            case NcclWaitOutcome.TimedOut:
                throw Fail(new CollectiveTimeoutException(
                    $"rank {Rank} waited {wait.Waited.TotalSeconds:0.#} s in {label} on CUDA device {Device} and NCCL still reports it in progress " +
                    $"({wait.AsyncState}): a rank that never arrived, or a collective hung on the GPUs (the broken-P2P hang: run `rig doctor`, and try NCCL_P2P_DISABLE=1 to confirm)"));
            default:
                AbortCommunicator();
                throw group.AbandonedBy(Rank, label);
        }
    }

    private Exception Fail(Exception error)
    {
        failed = true;
        group.Abort(Rank, error);
        AbortCommunicator();
        return error;
    }

    private void AbortCommunicator()
    {
        if (commGone)
        {
            return;
        }

        commGone = true;
        try
        {
            comm.Abort();
        }
        catch (GpuLibraryException)
        {
            // The communicator is failing already; the handle is marked gone either way.
        }
    }
}
