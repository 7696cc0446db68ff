using RigNotebooks.Errors;

namespace RigNotebooks.Interop.Nvml;

/// <summary>The one place NVML return codes become exceptions: each carries <c>nvmlErrorString</c>'s text and a neutral
/// <see cref="GpuErrorKind"/>.</summary>
internal static class NvmlErrors
{
    public const string Library = "NVML";

    public static void Check(NvmlReturn result, string function)
    {
        if (result != NvmlReturn.Success)
        {
            throw ToException(result, function);
        }
    }

    public static GpuLibraryException ToException(NvmlReturn result, string function) =>
        GpuLibraryException.Create(KindOf(result), Library, function, (int)result, CodeName(result), Message(result));

    public static GpuErrorKind KindOf(NvmlReturn result) => result switch
    {
        NvmlReturn.NotSupported or NvmlReturn.FunctionNotFound or NvmlReturn.Deprecated => GpuErrorKind.NotSupported,
        NvmlReturn.NoPermission => GpuErrorKind.NoPermission,
        NvmlReturn.NotFound or NvmlReturn.GpuNotFound or NvmlReturn.GpuIsLost or NvmlReturn.DriverNotLoaded => GpuErrorKind.NotFound,
        NvmlReturn.LibRmVersionMismatch or NvmlReturn.ArgumentVersionMismatch => GpuErrorKind.DriverMismatch,
        NvmlReturn.Memory => GpuErrorKind.OutOfMemory,
        NvmlReturn.InvalidArgument => GpuErrorKind.InvalidUsage,
        NvmlReturn.OperatingSystem => GpuErrorKind.SystemError,
        _ => GpuErrorKind.Other,
    };

    /// <summary>The <c>NVML_ERROR_*</c> name of a code.</summary>
    public static string CodeName(NvmlReturn result) => result switch
    {
        NvmlReturn.Success => "NVML_SUCCESS",
        NvmlReturn.Uninitialized => "NVML_ERROR_UNINITIALIZED",
        NvmlReturn.InvalidArgument => "NVML_ERROR_INVALID_ARGUMENT",
        NvmlReturn.NotSupported => "NVML_ERROR_NOT_SUPPORTED",
        NvmlReturn.NoPermission => "NVML_ERROR_NO_PERMISSION",
        NvmlReturn.AlreadyInitialized => "NVML_ERROR_ALREADY_INITIALIZED",
        NvmlReturn.NotFound => "NVML_ERROR_NOT_FOUND",
        NvmlReturn.InsufficientSize => "NVML_ERROR_INSUFFICIENT_SIZE",
        NvmlReturn.InsufficientPower => "NVML_ERROR_INSUFFICIENT_POWER",
        NvmlReturn.DriverNotLoaded => "NVML_ERROR_DRIVER_NOT_LOADED",
        NvmlReturn.Timeout => "NVML_ERROR_TIMEOUT",
        NvmlReturn.IrqIssue => "NVML_ERROR_IRQ_ISSUE",
        NvmlReturn.LibraryNotFound => "NVML_ERROR_LIBRARY_NOT_FOUND",
        NvmlReturn.FunctionNotFound => "NVML_ERROR_FUNCTION_NOT_FOUND",
        NvmlReturn.CorruptedInforom => "NVML_ERROR_CORRUPTED_INFOROM",
        NvmlReturn.GpuIsLost => "NVML_ERROR_GPU_IS_LOST",
        NvmlReturn.ResetRequired => "NVML_ERROR_RESET_REQUIRED",
        NvmlReturn.OperatingSystem => "NVML_ERROR_OPERATING_SYSTEM",
        NvmlReturn.LibRmVersionMismatch => "NVML_ERROR_LIB_RM_VERSION_MISMATCH",
        NvmlReturn.InUse => "NVML_ERROR_IN_USE",
        NvmlReturn.Memory => "NVML_ERROR_MEMORY",
        NvmlReturn.NoData => "NVML_ERROR_NO_DATA",
        NvmlReturn.VgpuEccNotSupported => "NVML_ERROR_VGPU_ECC_NOT_SUPPORTED",
        NvmlReturn.InsufficientResources => "NVML_ERROR_INSUFFICIENT_RESOURCES",
        NvmlReturn.FreqNotSupported => "NVML_ERROR_FREQ_NOT_SUPPORTED",
        NvmlReturn.ArgumentVersionMismatch => "NVML_ERROR_ARGUMENT_VERSION_MISMATCH",
        NvmlReturn.Deprecated => "NVML_ERROR_DEPRECATED",
        NvmlReturn.NotReady => "NVML_ERROR_NOT_READY",
        NvmlReturn.GpuNotFound => "NVML_ERROR_GPU_NOT_FOUND",
        NvmlReturn.InvalidState => "NVML_ERROR_INVALID_STATE",
        NvmlReturn.Unknown => "NVML_ERROR_UNKNOWN",
        _ => $"NVML_ERROR_{(int)result}",
    };

    /// <summary><c>nvmlErrorString</c>: valid before <c>nvmlInit</c> and after a failed one.</summary>
    public static string Message(NvmlReturn result)
    {
        var text = NativeText.FromPointer(NvmlNative.nvmlErrorString(result));
        return text.Length > 0 ? text : CodeName(result);
    }
}
