using System.Runtime.InteropServices;

namespace RigNotebooks.Interop.Cuda;

/// <summary>
/// How CUDA resources are freed. A context handle releases the primary context (<c>cuDevicePrimaryCtxRelease_v2</c>)
/// or destroys a created one (<c>cuCtxDestroy_v2</c>). Every resource made inside a context — device memory, pinned
/// host memory, streams, events, modules — holds a reference on its context handle, makes the context current when it
/// is freed (possibly on the finalizer thread) and then drops the reference, so a context is never released while
/// something allocated in it is still alive, whatever order the caller disposes things in.
/// </summary>
public sealed class CudaContextHandle : SafeHandle
{
    internal CudaContextHandle(nint context, int device, bool primary)
        : base(0, ownsHandle: true)
    {
        SetHandle(context);
        Device = device;
        IsPrimary = primary;
    }

    /// <summary>The device ordinal the context belongs to.</summary>
    public int Device { get; }

    /// <summary>The device's primary context (shared with the CUDA runtime, PyTorch and NCCL) rather than a private one.</summary>
    public bool IsPrimary { get; }

    public override bool IsInvalid => handle == 0;

    /// <summary>The raw <c>CUcontext</c>; valid while this handle is.</summary>
    internal nint Raw => handle;

    protected override bool ReleaseHandle() =>
        (IsPrimary ? CudaNative.cuDevicePrimaryCtxRelease_v2(Device) : CudaNative.cuCtxDestroy_v2(handle)) == CudaResult.Success;
}

/// <summary>A resource that lives in one CUDA context and keeps that context alive until it is freed.</summary>
public abstract class CudaContextResourceHandle : SafeHandle
{
    private readonly CudaContextHandle context;

    private protected CudaContextResourceHandle(CudaContextHandle context, nint value)
        : base(0, ownsHandle: true)
    {
        var added = false;
        context.DangerousAddRef(ref added);
        this.context = context;
        SetHandle(value);
    }

    public CudaContextHandle Context => context;

    public override bool IsInvalid => handle == 0;

    internal nint Raw => handle;

    protected sealed override bool ReleaseHandle()
    {
        try
        {
            _ = CudaNative.cuCtxSetCurrent(context.Raw);
            return Free(handle) == CudaResult.Success;
        }
        finally
        {
            context.DangerousRelease();
        }
    }

    private protected abstract CudaResult Free(nint value);
}

/// <summary>Device memory from <c>cuMemAlloc_v2</c>; the handle holds the <c>CUdeviceptr</c>.</summary>
public sealed class DeviceMemoryHandle : CudaContextResourceHandle
{
    internal DeviceMemoryHandle(CudaContextHandle context, ulong pointer)
        : base(context, unchecked((nint)pointer))
    {
    }

    internal ulong Pointer => unchecked((ulong)Raw);

    private protected override CudaResult Free(nint value) => CudaNative.cuMemFree_v2(unchecked((ulong)value));
}

/// <summary>Page-locked host memory from <c>cuMemHostAlloc</c>.</summary>
public sealed class PinnedHostMemoryHandle : CudaContextResourceHandle
{
    internal PinnedHostMemoryHandle(CudaContextHandle context, nint pointer)
        : base(context, pointer)
    {
    }

    private protected override CudaResult Free(nint value) => CudaNative.cuMemFreeHost(value);
}

public sealed class CudaStreamHandle : CudaContextResourceHandle
{
    internal CudaStreamHandle(CudaContextHandle context, nint stream)
        : base(context, stream)
    {
    }

    private protected override CudaResult Free(nint value) => CudaNative.cuStreamDestroy_v2(value);
}

public sealed class CudaEventHandle : CudaContextResourceHandle
{
    internal CudaEventHandle(CudaContextHandle context, nint cudaEvent)
        : base(context, cudaEvent)
    {
    }

    private protected override CudaResult Free(nint value) => CudaNative.cuEventDestroy_v2(value);
}

public sealed class CudaModuleHandle : CudaContextResourceHandle
{
    internal CudaModuleHandle(CudaContextHandle context, nint module)
        : base(context, module)
    {
    }

    private protected override CudaResult Free(nint value) => CudaNative.cuModuleUnload(value);
}

/// <summary>Holds a reference on a safe handle for the length of a native call (<c>using var _ = new HandleLease(h);</c>),
/// so a concurrent Dispose cannot free the resource mid-call.</summary>
internal readonly ref struct HandleLease
{
    private readonly SafeHandle handle;

    public HandleLease(SafeHandle handle)
    {
        ObjectDisposedException.ThrowIf(handle.IsClosed, handle);
        var added = false;
        handle.DangerousAddRef(ref added);
        this.handle = handle;
    }

    public void Dispose() => handle.DangerousRelease();
}
