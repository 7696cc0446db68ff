namespace RigNotebooks.Errors;

/// <summary>What kind of failure a native GPU library (NVML, the CUDA driver, NCCL) reported, in neutral terms.</summary>
public enum GpuErrorKind
{
    /// <summary>Any failure without a more specific kind.</summary>
    Other,

    /// <summary>The device or driver does not support the query or operation (common on GeForce cards).</summary>
    NotSupported,

    /// <summary>The caller lacks the privilege (setting a power limit needs root).</summary>
    NoPermission,

    /// <summary>No GPU, an invalid device, a GPU that fell off the bus, or a kernel module that is not loaded.</summary>
    NotFound,

    /// <summary>The user-space library and the kernel driver do not match, or the driver is too old for the request.</summary>
    DriverMismatch,

    /// <summary>Device or pinned host memory ran out.</summary>
    OutOfMemory,

    /// <summary>The library refused the arguments or the order of calls (NCCL's invalid argument / invalid usage): a bug in
    /// the caller, not a fault of the rig.</summary>
    InvalidUsage,

    /// <summary>A call the library made to the operating system failed: shared memory, sockets, file descriptors,
    /// locked memory (NCCL's system error).</summary>
    SystemError,

    /// <summary>Another rank or process of the same collective failed, or the connection to it broke (NCCL's remote
    /// error).</summary>
    RemoteError,

    /// <summary>A non-blocking operation had not finished when its result was needed (NCCL's in progress).</summary>
    InProgress,
}

/// <summary>A native GPU library call failed. Carries the library, the function, the native return code, its name
/// and the library's own message (<c>nvmlErrorString</c>, <c>cuGetErrorString</c>, <c>ncclGetErrorString</c>).
/// It is a <see cref="RigEnvironmentException"/>, so the CLI exits 3 with the message.</summary>
public class GpuLibraryException : RigEnvironmentException
{
    public GpuLibraryException(GpuErrorKind kind, string library, string function, int code, string codeName, string nativeMessage)
        : base(Compose(kind, library, function, code, codeName, nativeMessage))
    {
        Kind = kind;
        Library = library;
        Function = function;
        Code = code;
        CodeName = codeName;
        NativeMessage = nativeMessage;
    }

    public GpuLibraryException()
    {
    }

    public GpuLibraryException(string message)
        : base(message)
    {
    }

    public GpuLibraryException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public GpuErrorKind Kind { get; }

    /// <summary>"NVML", "CUDA driver" or "NCCL".</summary>
    public string Library { get; } = string.Empty;

    /// <summary>The native function that failed, e.g. <c>nvmlDeviceGetPowerUsage</c>.</summary>
    public string Function { get; } = string.Empty;

    public int Code { get; }

    /// <summary>The return code's name, e.g. <c>NVML_ERROR_NOT_SUPPORTED</c>.</summary>
    public string CodeName { get; } = string.Empty;

    /// <summary>The library's own description of the code.</summary>
    public string NativeMessage { get; } = string.Empty;

    /// <summary>A short reason for a waived row or an unknown fact: "nvmlDeviceGetSerial: Not Supported".</summary>
    public string ShortReason => string.IsNullOrEmpty(Function) ? Message : $"{Function}: {NativeMessage}";

    /// <summary>The right exception type for a kind, so callers can catch e.g. <see cref="GpuNotSupportedException"/>.</summary>
    public static GpuLibraryException Create(GpuErrorKind kind, string library, string function, int code, string codeName, string nativeMessage) => kind switch
    {
        GpuErrorKind.NotSupported => new GpuNotSupportedException(library, function, code, codeName, nativeMessage),
        GpuErrorKind.NoPermission => new GpuNoPermissionException(library, function, code, codeName, nativeMessage),
        GpuErrorKind.NotFound => new GpuNotFoundException(library, function, code, codeName, nativeMessage),
        GpuErrorKind.DriverMismatch => new GpuDriverMismatchException(library, function, code, codeName, nativeMessage),
        GpuErrorKind.OutOfMemory => new GpuOutOfMemoryException(library, function, code, codeName, nativeMessage),
        _ => new GpuLibraryException(kind, library, function, code, codeName, nativeMessage),
    };

    private static string Compose(GpuErrorKind kind, string library, string function, int code, string codeName, string nativeMessage)
    {
        var head = $"{library}: {function} failed: {nativeMessage} ({codeName} = {code}).";
        var remedy = kind switch
        {
            GpuErrorKind.NoPermission => " This needs more privilege: run it as root (sudo).",
            GpuErrorKind.NotFound => " Check that the NVIDIA kernel module is loaded and sees the GPUs (`nvidia-smi`; `sudo modprobe nvidia`).",
            GpuErrorKind.DriverMismatch => " The driver's libraries (NVML, libcuda) and its loaded kernel module are different versions, or the driver is too old for this: " +
                "after a driver update, reboot (the old kernel module stays loaded until then); otherwise reinstall the driver so its libraries and kernel module match.",
            GpuErrorKind.OutOfMemory => " Free GPU memory (other processes: `nvidia-smi`) or use smaller buffers.",
            GpuErrorKind.InvalidUsage => " The library refused the arguments or the order of calls: a bug in the kit (or a value it passed on unchecked), not a fault of the rig; please report it with this message.",
            GpuErrorKind.SystemError => " A system call inside the library failed: check free shared memory (/dev/shm; in a container raise --shm-size) and the open-file and locked-memory limits (ulimit -n, ulimit -l); NCCL_DEBUG=WARN names the failing call.",
            GpuErrorKind.RemoteError => " Another rank or process of the same collective failed, or the connection to it broke: its own error says why (NCCL_DEBUG=WARN on every rank shows it).",
            GpuErrorKind.InProgress => " The operation was still running when its result was needed: wait until ncclCommGetAsyncError no longer reports it in progress before using the result or the communicator.",
            _ => string.Empty,
        };
        return head + remedy;
    }
}

/// <summary>The device or driver does not support this query or operation.</summary>
public sealed class GpuNotSupportedException : GpuLibraryException
{
    public GpuNotSupportedException(string library, string function, int code, string codeName, string nativeMessage)
        : base(GpuErrorKind.NotSupported, library, function, code, codeName, nativeMessage)
    {
    }

    public GpuNotSupportedException()
    {
    }

    public GpuNotSupportedException(string message)
        : base(message)
    {
    }

    public GpuNotSupportedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>The operation needs privileges the process does not have (usually root).</summary>
public sealed class GpuNoPermissionException : GpuLibraryException
{
    public GpuNoPermissionException(string library, string function, int code, string codeName, string nativeMessage)
        : base(GpuErrorKind.NoPermission, library, function, code, codeName, nativeMessage)
    {
    }

    public GpuNoPermissionException()
    {
    }

    public GpuNoPermissionException(string message)
        : base(message)
    {
    }

    public GpuNoPermissionException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>No GPU, an invalid device, a lost GPU, or a driver that is not loaded.</summary>
public sealed class GpuNotFoundException : GpuLibraryException
{
    public GpuNotFoundException(string library, string function, int code, string codeName, string nativeMessage)
        : base(GpuErrorKind.NotFound, library, function, code, codeName, nativeMessage)
    {
    }

    public GpuNotFoundException()
    {
    }

    public GpuNotFoundException(string message)
        : base(message)
    {
    }

    public GpuNotFoundException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>The user-space library and kernel driver disagree, or the driver is too old for the request.</summary>
public sealed class GpuDriverMismatchException : GpuLibraryException
{
    public GpuDriverMismatchException(string library, string function, int code, string codeName, string nativeMessage)
        : base(GpuErrorKind.DriverMismatch, library, function, code, codeName, nativeMessage)
    {
    }

    public GpuDriverMismatchException()
    {
    }

    public GpuDriverMismatchException(string message)
        : base(message)
    {
    }

    public GpuDriverMismatchException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>Device or pinned host memory ran out.</summary>
public sealed class GpuOutOfMemoryException : GpuLibraryException
{
    public GpuOutOfMemoryException(string library, string function, int code, string codeName, string nativeMessage)
        : base(GpuErrorKind.OutOfMemory, library, function, code, codeName, nativeMessage)
    {
    }

    public GpuOutOfMemoryException()
    {
    }

    public GpuOutOfMemoryException(string message)
        : base(message)
    {
    }

    public GpuOutOfMemoryException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
