using System.Diagnostics;
using System.Runtime.InteropServices;
using RigNotebooks.Interop.Cuda;

namespace RigNotebooks.Interop.Nccl;

/// <summary>An <c>ncclComm_t</c>, destroyed with <c>ncclCommDestroy</c> when released.</summary>
public sealed class NcclCommHandle : SafeHandle
{
    internal NcclCommHandle(nint comm)
        : base(0, ownsHandle: true)
    {
        SetHandle(comm);
    }

    public override bool IsInvalid => handle == 0;

    internal nint Raw => handle;

    /// <summary>Marks the communicator as already gone (after <c>ncclCommAbort</c>), so it is not destroyed twice.</summary>
    internal void MarkAborted() => SetHandleAsInvalid();

    protected override bool ReleaseHandle() => NcclNative.ncclCommDestroy(handle) is NcclResult.Success or NcclResult.InProgress;
}

/// <summary>
/// One rank of an NCCL communicator. <see cref="InitAll"/> makes one rank per GPU for a single process driving all
/// GPUs; <see cref="InitRank(int, NcclUniqueId, int)"/> makes one rank of a multi-process (or one-thread-per-GPU)
/// communicator, and <see cref="InitRankNonBlocking"/> the same in NCCL's non-blocking mode, so that a rank that never
/// arrives can be waited for with a deadline (<see cref="Wait"/>) and aborted instead of blocking forever.
/// Collectives are queued on a stream of the rank's GPU; with several ranks in one thread, issue them inside
/// <see cref="Nccl.Grouped"/>.
/// </summary>
public sealed class NcclCommunicator : IDisposable
{
    /// <summary>NCCL_VERSION(2,14,0): ncclCommInitRankConfig and non-blocking communicators.</summary>
    public const int NonBlockingSinceVersion = 21400;

    /// <summary>NCCL_VERSION(2,10,0): the built-in average (ncclAvg = 4).</summary>
    public const int AverageSinceVersion = 21000;

    private NcclCommunicator(NcclCommHandle handle, bool blocking)
    {
        Handle = handle;
        IsBlocking = blocking;
    }

    public NcclCommHandle Handle { get; }

    /// <summary>False for a communicator made by <see cref="InitRankNonBlocking"/>: its calls may return
    /// <see cref="NcclResult.InProgress"/>, and it is usable once <see cref="Wait"/> says so.</summary>
    public bool IsBlocking { get; }

    /// <summary>Whether the loaded NCCL makes non-blocking communicators (2.14+ with ncclCommInitRankConfig).</summary>
    public static bool NonBlockingAvailable =>
        Nccl.VersionCode() >= NonBlockingSinceVersion && NativeLibraries.OptionalExport(GpuLibrary.Nccl, nameof(NcclNative.ncclCommInitRankConfig)) != 0;

    /// <summary>One communicator per CUDA device ordinal in <paramref name="cudaDevices"/>, rank i on cudaDevices[i]
    /// (<c>ncclCommInitAll</c>).</summary>
    public static unsafe IReadOnlyList<NcclCommunicator> InitAll(IReadOnlyList<int> cudaDevices)
    {
        ArgumentNullException.ThrowIfNull(cudaDevices);
        if (cudaDevices.Count == 0)
        {
            throw new ArgumentException("An NCCL communicator needs at least one device.", nameof(cudaDevices));
        }

        Nccl.EnsureLoaded();
        var comms = new nint[cudaDevices.Count];
        var devices = cudaDevices.ToArray();
        fixed (nint* c = comms)
        fixed (int* d = devices)
        {
            NcclErrors.Check(NcclNative.ncclCommInitAll(c, devices.Length, d), nameof(NcclNative.ncclCommInitAll));
        }

        return comms.Select(c => new NcclCommunicator(new NcclCommHandle(c), blocking: true)).ToList();
    }

    /// <summary>Rank <paramref name="rank"/> of <paramref name="ranks"/> sharing <paramref name="id"/>
    /// (<c>ncclCommInitRank</c>). The rank's GPU must be current: make its context current first. Blocks until every
    /// rank has joined.</summary>
    public static NcclCommunicator InitRank(int ranks, NcclUniqueId id, int rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ranks);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, ranks);
        Nccl.EnsureLoaded();
        NcclErrors.Check(NcclNative.ncclCommInitRank(out var comm, ranks, id, rank), nameof(NcclNative.ncclCommInitRank));
        return new NcclCommunicator(new NcclCommHandle(comm), blocking: true);
    }

    /// <summary>Rank <paramref name="rank"/> of <paramref name="ranks"/> sharing <paramref name="id"/>, in non-blocking
    /// mode (<c>ncclCommInitRankConfig</c> with blocking = 0, NCCL 2.14+; check <see cref="NonBlockingAvailable"/>).
    /// Returns at once: the other ranks may not have joined yet. Call <see cref="Wait"/> (without a stream) before
    /// the first collective; if it times out, <see cref="Abort"/> frees the half-made communicator. The rank's GPU
    /// must be current.</summary>
    public static unsafe NcclCommunicator InitRankNonBlocking(int ranks, NcclUniqueId id, int rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ranks);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, ranks);
        Nccl.EnsureLoaded();
        var config = NcclConfigV21400.Create(blocking: false);
        var result = NcclNative.ncclCommInitRankConfig(out var comm, ranks, id, rank, &config);
        if (result is NcclResult.Success or NcclResult.InProgress)
        {
            return new NcclCommunicator(new NcclCommHandle(comm), blocking: false);
        }

        if (comm != 0)
        {
            _ = NcclNative.ncclCommAbort(comm);
        }

        throw NcclErrors.ToException(result, nameof(NcclNative.ncclCommInitRankConfig));
    }

    public int Count => Query(NcclNative.ncclCommCount, nameof(NcclNative.ncclCommCount));

    /// <summary>The CUDA device ordinal of this rank.</summary>
    public int CudaDevice => Query(NcclNative.ncclCommCuDevice, nameof(NcclNative.ncclCommCuDevice));

    public int Rank => Query(NcclNative.ncclCommUserRank, nameof(NcclNative.ncclCommUserRank));

    /// <summary>Queues an all-reduce of <paramref name="count"/> elements from <paramref name="send"/> into
    /// <paramref name="receive"/> (the same buffer for in-place) on <paramref name="stream"/>.</summary>
    public void AllReduce(DeviceBuffer send, DeviceBuffer receive, long count, NcclDataType dataType, NcclReduction op, CudaStream stream)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(receive);
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var bytes = count * ElementBytes(dataType);
        if (bytes > send.SizeBytes || bytes > receive.SizeBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"{count} elements of {dataType} need {bytes} bytes; the buffers hold {send.SizeBytes} and {receive.SizeBytes}.");
        }

        using var commLease = new HandleLease(Handle);
        using var sendLease = new HandleLease(send.Handle);
        using var receiveLease = new HandleLease(receive.Handle);
        using var streamLease = new HandleLease(stream.Handle);
        stream.Context.MakeCurrent();
        _ = Queued(
            NcclNative.ncclAllReduce(send.Handle.Pointer, receive.Handle.Pointer, (nuint)count, dataType, op, Handle.Raw, stream.Handle.Raw),
            nameof(NcclNative.ncclAllReduce));
    }

    /// <summary>Queues an all-reduce on device memory the caller owns, given by address (for example a TorchSharp
    /// tensor's storage pointer plus its offset): <paramref name="count"/> elements from <paramref name="sendPointer"/>
    /// into <paramref name="receivePointer"/> (the same address for in-place) on <paramref name="stream"/>. Returns
    /// <see cref="NcclResult.InProgress"/> when a non-blocking communicator is still launching it; either way the work
    /// is done only when <see cref="Wait"/> says so.</summary>
    public NcclResult AllReduce(ulong sendPointer, ulong receivePointer, long count, NcclDataType dataType, NcclReduction op, CudaStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        CheckPointers(sendPointer, receivePointer);
        using var commLease = new HandleLease(Handle);
        using var streamLease = new HandleLease(stream.Handle);
        stream.Context.MakeCurrent();
        return Queued(
            NcclNative.ncclAllReduce(sendPointer, receivePointer, (nuint)count, dataType, op, Handle.Raw, stream.Handle.Raw),
            nameof(NcclNative.ncclAllReduce));
    }

    /// <summary>Queues a broadcast of <paramref name="count"/> elements from rank <paramref name="root"/>'s
    /// <paramref name="sendPointer"/> into every rank's <paramref name="receivePointer"/> (in place when equal) on
    /// <paramref name="stream"/>. Returns as <see cref="AllReduce(ulong, ulong, long, NcclDataType, NcclReduction, CudaStream)"/> does.</summary>
    public NcclResult Broadcast(ulong sendPointer, ulong receivePointer, long count, NcclDataType dataType, int root, CudaStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(root);
        CheckPointers(sendPointer, receivePointer);
        using var commLease = new HandleLease(Handle);
        using var streamLease = new HandleLease(stream.Handle);
        stream.Context.MakeCurrent();
        return Queued(
            NcclNative.ncclBroadcast(sendPointer, receivePointer, (nuint)count, dataType, root, Handle.Raw, stream.Handle.Raw),
            nameof(NcclNative.ncclBroadcast));
    }

    /// <summary>
    /// Waits, with a deadline, until the communicator has nothing in progress and <paramref name="stream"/> (when given)
    /// has finished its queued work — polling <c>ncclCommGetAsyncError</c> and <c>cuStreamQuery</c>, never blocking in
    /// NCCL or CUDA, so a hung collective ends as <see cref="NcclWaitOutcome.TimedOut"/> instead of hanging the thread.
    /// Without a stream it waits for a non-blocking init or launch. Polls tightly for the first millisecond (small
    /// collectives), then yields, then sleeps in 1 ms steps (waking early on <paramref name="cancellationToken"/>).
    /// On <see cref="NcclWaitOutcome.Failed"/> or <see cref="NcclWaitOutcome.TimedOut"/> the caller should
    /// <see cref="Abort"/>: NCCL's kernels may still be waiting for peers. CUDA errors from the stream query throw.
    /// </summary>
    /// <param name="operation">The call being waited for, for the error message (e.g. "ncclAllReduce").</param>
    public NcclWaitResult Wait(CudaStream? stream, TimeSpan timeout, string operation, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var spinner = default(SpinWait);
        while (true)
        {
            var state = AsyncError();
            if (state is not (NcclResult.Success or NcclResult.InProgress))
            {
                return new NcclWaitResult(NcclWaitOutcome.Failed, state, clock.Elapsed, NcclErrors.ToException(state, operation));
            }

            if (state == NcclResult.Success && (stream is null || stream.IsComplete()))
            {
                return new NcclWaitResult(NcclWaitOutcome.Completed, state, clock.Elapsed);
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return new NcclWaitResult(NcclWaitOutcome.Cancelled, state, clock.Elapsed);
            }

            var waited = clock.Elapsed;
            if (waited >= timeout)
            {
                return new NcclWaitResult(NcclWaitOutcome.TimedOut, state, waited);
            }

            if (waited < TimeSpan.FromMilliseconds(1))
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
            else if (waited < TimeSpan.FromMilliseconds(20))
            {
                Thread.Yield();
            }
            else
            {
                cancellationToken.WaitHandle.WaitOne(1);
            }
        }
    }

    /// <summary>An error raised asynchronously by this communicator (e.g. a peer failed), or Success.</summary>
    public NcclResult AsyncError()
    {
        ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
        NcclErrors.Check(NcclNative.ncclCommGetAsyncError(Handle.Raw, out var error), nameof(NcclNative.ncclCommGetAsyncError));
        return error;
    }

    /// <summary>Aborts running operations and frees the communicator (<c>ncclCommAbort</c>): the way out of a hung collective.</summary>
    public void Abort()
    {
        if (Handle.IsClosed || Handle.IsInvalid)
        {
            return;
        }

        var result = NcclNative.ncclCommAbort(Handle.Raw);
        Handle.MarkAborted();
        if (result != NcclResult.InProgress)
        {
            NcclErrors.Check(result, nameof(NcclNative.ncclCommAbort));
        }
    }

    /// <summary>Ends a healthy communicator. A non-blocking one is finalized first (<c>ncclCommFinalize</c>, polled up to
    /// <paramref name="timeout"/>) and then destroyed; a blocking one is destroyed. When finalizing fails or does not
    /// finish in time the communicator is aborted instead. Returns true when it was destroyed cleanly.</summary>
    public bool Close(TimeSpan timeout)
    {
        if (Handle.IsClosed || Handle.IsInvalid)
        {
            return true;
        }

        if (!IsBlocking)
        {
            var result = NcclNative.ncclCommFinalize(Handle.Raw);
            if (result is not (NcclResult.Success or NcclResult.InProgress) || !Wait(null, timeout, nameof(NcclNative.ncclCommFinalize)).Completed)
            {
                try
                {
                    Abort();
                }
                catch (Errors.GpuLibraryException)
                {
                    // Already failing: the handle is marked gone either way.
                }

                return false;
            }
        }

        Dispose();
        return true;
    }

    public void Dispose() => Handle.Dispose();

    /// <summary>NCCL's error for <paramref name="result"/> as the kit's exception, with ncclGetErrorString's text.</summary>
    public static Errors.GpuLibraryException ErrorFor(NcclResult result, string function) => NcclErrors.ToException(result, function);

    public static int ElementBytes(NcclDataType type) => type switch
    {
        NcclDataType.Int8 or NcclDataType.UInt8 => 1,
        NcclDataType.Float16 or NcclDataType.BFloat16 => 2,
        NcclDataType.Int32 or NcclDataType.UInt32 or NcclDataType.Float32 => 4,
        NcclDataType.Int64 or NcclDataType.UInt64 or NcclDataType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown NCCL data type."),
    };

    private static void CheckPointers(ulong sendPointer, ulong receivePointer)
    {
        if (sendPointer == 0 || receivePointer == 0)
        {
            throw new ArgumentException("NCCL needs device addresses, not null pointers.", sendPointer == 0 ? nameof(sendPointer) : nameof(receivePointer));
        }
    }

    /// <summary>Success, or InProgress from a non-blocking communicator; any other code throws.</summary>
    private NcclResult Queued(NcclResult result, string function)
    {
        if (result == NcclResult.InProgress && !IsBlocking)
        {
            return result;
        }

        NcclErrors.Check(result, function);
        return result;
    }

    private delegate NcclResult IntQuery(nint comm, out int value);

    private int Query(IntQuery query, string function)
    {
        ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
        NcclErrors.Check(query(Handle.Raw, out var value), function);
        return value;
    }
}
