using System.Globalization;
using RigNotebooks.Errors;

namespace RigNotebooks.Interop.Nccl;

/// <summary>The one place NCCL return codes become exceptions, with <c>ncclGetErrorString</c>'s text and a neutral
/// <see cref="GpuErrorKind"/>.</summary>
internal static class NcclErrors
{
    public const string Library = "NCCL";

    public static void Check(NcclResult result, string function)
    {
        if (result != NcclResult.Success)
        {
            throw ToException(result, function);
        }
    }

    public static GpuLibraryException ToException(NcclResult result, string function) =>
        GpuLibraryException.Create(KindOf(result), Library, function, (int)result, CodeName(result), Message(result));

    /// <summary>The neutral kind of an NCCL code. ncclUnhandledCudaError stays <see cref="GpuErrorKind.Other"/>: NCCL does
    /// not say which CUDA error it was, so it cannot be told from a mismatch or an out-of-memory; likewise internal errors
    /// and timeouts.</summary>
    public static GpuErrorKind KindOf(NcclResult result) => result switch
    {
        NcclResult.InvalidArgument or NcclResult.InvalidUsage => GpuErrorKind.InvalidUsage,
        NcclResult.SystemError => GpuErrorKind.SystemError,
        NcclResult.RemoteError => GpuErrorKind.RemoteError,
        NcclResult.InProgress => GpuErrorKind.InProgress,
        _ => GpuErrorKind.Other,
    };

    public static string CodeName(NcclResult result) => result switch
    {
        NcclResult.Success => "ncclSuccess",
        NcclResult.UnhandledCudaError => "ncclUnhandledCudaError",
        NcclResult.SystemError => "ncclSystemError",
        NcclResult.InternalError => "ncclInternalError",
        NcclResult.InvalidArgument => "ncclInvalidArgument",
        NcclResult.InvalidUsage => "ncclInvalidUsage",
        NcclResult.RemoteError => "ncclRemoteError",
        NcclResult.InProgress => "ncclInProgress",
        NcclResult.Timeout => "ncclTimeout",
        _ => string.Create(CultureInfo.InvariantCulture, $"ncclResult {(int)result}"),
    };

    public static string Message(NcclResult result)
    {
        var text = NativeText.FromPointer(NcclNative.ncclGetErrorString(result));
        return text.Length > 0 ? text : CodeName(result);
    }
}
