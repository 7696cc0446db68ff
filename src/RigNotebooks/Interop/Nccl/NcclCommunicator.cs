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

    protected override bool ReleaseHandle() => NcclNative.ncclCommDestroy(handle) == NcclResult.Success;
}

/// <summary>
/// One rank of an NCCL communicator. <see cref="InitAll"/> makes one rank per GPU for a single process driving all
/// GPUs; <see cref="InitRank"/> makes one rank of a multi-process communicator. Collectives are queued on a stream of
/// the rank's GPU; with several ranks in one thread, issue them inside <see cref="Nccl.Grouped"/>.
/// </summary>
public sealed class NcclCommunicator : IDisposable
{
    private NcclCommunicator(NcclCommHandle handle)
    {
        Handle = handle;
    }

    public NcclCommHandle Handle { get; }

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

        return comms.Select(c => new NcclCommunicator(new NcclCommHandle(c))).ToList();
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
        return new NcclCommunicator(new NcclCommHandle(comm));
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
        NcclErrors.Check(
            NcclNative.ncclAllReduce(send.Handle.Pointer, receive.Handle.Pointer, (nuint)count, dataType, op, Handle.Raw, stream.Handle.Raw),
            nameof(NcclNative.ncclAllReduce));
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
        NcclErrors.Check(result, nameof(NcclNative.ncclCommAbort));
    }

    public void Dispose() => Handle.Dispose();

    public static int ElementBytes(NcclDataType type) => type switch
    {
        NcclDataType.Int8 or NcclDataType.UInt8 => 1,
        NcclDataType.Float16 or NcclDataType.BFloat16 => 2,
        NcclDataType.Int32 or NcclDataType.UInt32 or NcclDataType.Float32 => 4,
        NcclDataType.Int64 or NcclDataType.UInt64 or NcclDataType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown NCCL data type."),
    };

    private delegate NcclResult IntQuery(nint comm, out int value);

    private int Query(IntQuery query, string function)
    {
        ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
        NcclErrors.Check(query(Handle.Raw, out var value), function);
        return value;
    }
}
