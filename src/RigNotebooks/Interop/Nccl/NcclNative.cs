using System.Runtime.InteropServices;

namespace RigNotebooks.Interop.Nccl;

/// <summary>The raw NCCL entry points (nccl.h, <c>libnccl.so.2</c>), source-generated with <c>[LibraryImport]</c>.
/// Communicators are opaque <c>ncclComm_t</c> pointers; streams are <c>cudaStream_t</c>, the same objects as the
/// driver API's <c>CUstream</c>. <c>ncclGetErrorString</c> returns a static string, bound as a pointer.
/// Use <see cref="Nccl"/> and <see cref="NcclCommunicator"/>.</summary>
internal static unsafe partial class NcclNative
{
    private const string Lib = GpuLibraryInfo.NcclSoname;

    [LibraryImport(Lib)]
    internal static partial NcclResult ncclGetVersion(out int version);

    [LibraryImport(Lib)]
    internal static partial NcclResult ncclGetUniqueId(out NcclUniqueId uniqueId);

    /// <summary>The id is passed by value (128 bytes).</summary>
    [LibraryImport(Lib)]
    internal static partial NcclResult ncclCommInitRank(out nint comm, int nranks, NcclUniqueId commId, int rank);

    [LibraryImport(Lib)]
    internal static partial NcclResult ncclCommInitAll(nint* comms, int ndev, int* devlist);

    /// <summary>NCCL 2.14+; look it up with <see cref="NativeLibraries.OptionalExport"/> before calling. With
    /// <c>blocking = 0</c> it returns ncclInProgress and the communicator is ready when ncclCommGetAsyncError says
    /// ncclSuccess.</summary>
    [LibraryImport(Lib)]
    internal static partial NcclResult ncclCommInitRankConfig(out nint comm, int nranks, NcclUniqueId commId, int rank, NcclConfigV21400* config);

    [LibraryImport(Lib)]
    internal static partial NcclResult ncclCommDestroy(nint comm);

    [LibraryImport(Lib)]
    internal static partial NcclResult ncclCommAbort(nint comm);

    /// <summary>NCCL 2.14+: flushes a communicator's outstanding work before <c>ncclCommDestroy</c>; non-blocking
    /// communicators return ncclInProgress and are finalized when ncclCommGetAsyncError says ncclSuccess.</summary>
    [LibraryImport(Lib)]
    internal static partial NcclResult ncclCommFinalize(nint comm);

    [LibraryImport(Lib)]
    internal static partial NcclResult ncclCommGetAsyncError(nint comm, out NcclResult asyncError);

    [LibraryImport(Lib)]
    internal static partial NcclResult ncclCommCount(nint comm, out int count);

    [LibraryImport(Lib)]
    internal static partial NcclResult ncclCommCuDevice(nint comm, out int device);

    [LibraryImport(Lib)]
    internal static partial NcclResult ncclCommUserRank(nint comm, out int rank);

    [LibraryImport(Lib)]
    internal static partial NcclResult ncclAllReduce(ulong sendBuffer, ulong receiveBuffer, nuint count, NcclDataType dataType, NcclReduction op, nint comm, nint stream);

    /// <summary>Copies <paramref name="count"/> elements from the root's send buffer into every rank's receive buffer
    /// (in place when they are the same).</summary>
    [LibraryImport(Lib)]
    internal static partial NcclResult ncclBroadcast(ulong sendBuffer, ulong receiveBuffer, nuint count, NcclDataType dataType, int root, nint comm, nint stream);

    [LibraryImport(Lib)]
    internal static partial NcclResult ncclGroupStart();

    [LibraryImport(Lib)]
    internal static partial NcclResult ncclGroupEnd();

    /// <summary>Returns a static string: never free it.</summary>
    [LibraryImport(Lib)]
    internal static partial nint ncclGetErrorString(NcclResult result);
}
