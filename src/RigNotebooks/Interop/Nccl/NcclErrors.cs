using System.Globalization;
using RigNotebooks.Errors;

namespace RigNotebooks.Interop.Nccl;

/// <summary>The one place NCCL return codes become exceptions, with <c>ncclGetErrorString</c>'s text.</summary>
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
        GpuLibraryException.Create(GpuErrorKind.Other, Library, function, (int)result, CodeName(result), Message(result));

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
