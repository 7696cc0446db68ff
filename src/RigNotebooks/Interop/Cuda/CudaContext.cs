namespace RigNotebooks.Interop.Cuda;

/// <summary>
/// A CUDA context on one device. Every method makes the context current on the calling thread first, so callers
/// never juggle <c>cuCtxSetCurrent</c>. Resources created here keep the context alive until they are disposed.
/// </summary>
public sealed class CudaContext : IDisposable
{
    internal CudaContext(CudaDevice device, CudaContextHandle handle)
    {
        Device = device;
        Handle = handle;
    }

    public CudaDevice Device { get; }

    public CudaContextHandle Handle { get; }

    /// <summary>Makes this context current on the calling thread.</summary>
    public void MakeCurrent()
    {
        using var lease = new HandleLease(Handle);
        CudaErrors.Check(CudaNative.cuCtxSetCurrent(Handle.Raw), nameof(CudaNative.cuCtxSetCurrent));
    }

    /// <summary>Waits for all work in the context.</summary>
    public void Synchronize()
    {
        MakeCurrent();
        CudaErrors.Check(CudaNative.cuCtxSynchronize(), nameof(CudaNative.cuCtxSynchronize));
    }

    /// <summary>Free and total device memory, bytes.</summary>
    public (long FreeBytes, long TotalBytes) MemoryInfo()
    {
        MakeCurrent();
        CudaErrors.Check(CudaNative.cuMemGetInfo_v2(out var free, out var total), nameof(CudaNative.cuMemGetInfo_v2));
        return (checked((long)free), checked((long)total));
    }

    /// <summary>Allocates device memory (<c>cuMemAlloc_v2</c>); contents are undefined until written.</summary>
    public DeviceBuffer Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        MakeCurrent();
        CudaErrors.Check(CudaNative.cuMemAlloc_v2(out var pointer, checked((nuint)bytes)), nameof(CudaNative.cuMemAlloc_v2));
        return new DeviceBuffer(this, new DeviceMemoryHandle(Handle, pointer), bytes);
    }

    /// <summary>Allocates page-locked host memory (<c>cuMemHostAlloc</c>). Portable memory counts as pinned for every
    /// context, so one buffer can feed copies to all GPUs.</summary>
    public PinnedHostBuffer AllocatePinned(long bytes, bool portable = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        MakeCurrent();
        const uint cuMemHostAllocPortable = 0x01; // CU_MEMHOSTALLOC_PORTABLE
        CudaErrors.Check(
            CudaNative.cuMemHostAlloc(out var pointer, checked((nuint)bytes), portable ? cuMemHostAllocPortable : 0),
            nameof(CudaNative.cuMemHostAlloc));
        return new PinnedHostBuffer(new PinnedHostMemoryHandle(Handle, pointer), bytes);
    }

    /// <summary>Creates a stream. Non-blocking streams do not synchronise with the legacy default stream.</summary>
    public CudaStream CreateStream(bool nonBlocking = true)
    {
        MakeCurrent();
        const uint cuStreamNonBlocking = 0x1; // CU_STREAM_NON_BLOCKING
        CudaErrors.Check(CudaNative.cuStreamCreate(out var stream, nonBlocking ? cuStreamNonBlocking : 0), nameof(CudaNative.cuStreamCreate));
        return new CudaStream(this, new CudaStreamHandle(Handle, stream));
    }

    /// <summary>Creates an event. Timing events can be used with <see cref="CudaEvent.ElapsedMs"/>; blocking-sync
    /// events make <see cref="CudaEvent.Synchronize"/> sleep instead of spin.</summary>
    public CudaEvent CreateEvent(bool timing = true, bool blockingSync = false)
    {
        MakeCurrent();
        const uint blocking = 0x1;      // CU_EVENT_BLOCKING_SYNC
        const uint disableTiming = 0x2; // CU_EVENT_DISABLE_TIMING
        var flags = (timing ? 0 : disableTiming) | (blockingSync ? blocking : 0);
        CudaErrors.Check(CudaNative.cuEventCreate(out var ev, flags), nameof(CudaNative.cuEventCreate));
        return new CudaEvent(this, new CudaEventHandle(Handle, ev));
    }

    /// <summary>Loads a module from PTX text; the driver JIT-compiles it for this GPU (no toolkit needed).</summary>
    public unsafe CudaModule LoadPtx(string ptx)
    {
        ArgumentException.ThrowIfNullOrEmpty(ptx);
        MakeCurrent();
        var bytes = System.Text.Encoding.UTF8.GetBytes(ptx + "\0");
        nint module;
        fixed (byte* image = bytes)
        {
            CudaErrors.Check(CudaNative.cuModuleLoadData(out module, image), nameof(CudaNative.cuModuleLoadData));
        }

        return new CudaModule(this, new CudaModuleHandle(Handle, module));
    }

    /// <summary>Lets this context read and write <paramref name="peer"/>'s memory directly. Returns false when it was
    /// already enabled. Throws <see cref="Errors.GpuNotSupportedException"/> when the pair has no peer access.</summary>
    public bool EnablePeerAccess(CudaContext peer)
    {
        using var lease = new HandleLease(peer.Handle);
        MakeCurrent();
        var result = CudaNative.cuCtxEnablePeerAccess(peer.Handle.Raw, 0);
        if (result == CudaResult.PeerAccessAlreadyEnabled)
        {
            return false;
        }

        CudaErrors.Check(result, nameof(CudaNative.cuCtxEnablePeerAccess));
        return true;
    }

    /// <summary>Stops direct access to <paramref name="peer"/>'s memory; returns false when it was not enabled.
    /// Peer copies then stage through host memory (the "P2P off" case of the bandwidth test).</summary>
    public bool DisablePeerAccess(CudaContext peer)
    {
        using var lease = new HandleLease(peer.Handle);
        MakeCurrent();
        var result = CudaNative.cuCtxDisablePeerAccess(peer.Handle.Raw);
        if (result == CudaResult.PeerAccessNotEnabled)
        {
            return false;
        }

        CudaErrors.Check(result, nameof(CudaNative.cuCtxDisablePeerAccess));
        return true;
    }

    /// <summary>Releases this reference to the context; the context itself goes when its last resource does.</summary>
    public void Dispose() => Handle.Dispose();

    public override string ToString() => $"{(Handle.IsPrimary ? "primary" : "private")} context of {Device}";
}
