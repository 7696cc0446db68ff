using System.Globalization;
using RigNotebooks.Errors;

namespace RigNotebooks.Interop.Cuda;

/// <summary>The one place CUDA driver return codes become exceptions, with the driver's own name and message
/// (<c>cuGetErrorName</c>, <c>cuGetErrorString</c>) and a neutral <see cref="GpuErrorKind"/>.</summary>
internal static class CudaErrors
{
    public const string Library = "CUDA driver";

    public static void Check(CudaResult result, string function)
    {
        if (result != CudaResult.Success)
        {
            throw ToException(result, function);
        }
    }

    public static GpuLibraryException ToException(CudaResult result, string function)
    {
        var name = CodeName(result);
        var message = Message(result);
        return GpuLibraryException.Create(KindOf(result), Library, function, (int)result, name, message);
    }

    public static GpuErrorKind KindOf(CudaResult result) => result switch
    {
        CudaResult.OutOfMemory => GpuErrorKind.OutOfMemory,
        CudaResult.NoDevice or CudaResult.InvalidDevice or CudaResult.DeviceUnavailable or CudaResult.StubLibrary => GpuErrorKind.NotFound,
        CudaResult.NotPermitted => GpuErrorKind.NoPermission,
        CudaResult.NotSupported or CudaResult.PeerAccessUnsupported => GpuErrorKind.NotSupported,
        CudaResult.SystemDriverMismatch or CudaResult.CompatNotSupportedOnDevice or CudaResult.UnsupportedPtxVersion => GpuErrorKind.DriverMismatch,
        CudaResult.InvalidValue => GpuErrorKind.InvalidUsage,
        _ => GpuErrorKind.Other,
    };

    /// <summary><c>cuGetErrorName</c>, e.g. "CUDA_ERROR_OUT_OF_MEMORY"; the number when the driver does not know the code.</summary>
    public static string CodeName(CudaResult result) =>
        CudaNative.cuGetErrorName(result, out var text) == CudaResult.Success && NativeText.FromPointer(text) is { Length: > 0 } name
            ? name
            : string.Create(CultureInfo.InvariantCulture, $"CUresult {(int)result}");

    /// <summary><c>cuGetErrorString</c>: the driver's description.</summary>
    public static string Message(CudaResult result) =>
        CudaNative.cuGetErrorString(result, out var text) == CudaResult.Success && NativeText.FromPointer(text) is { Length: > 0 } message
            ? message
            : "unknown error";
}
