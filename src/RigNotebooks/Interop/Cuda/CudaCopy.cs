namespace RigNotebooks.Interop.Cuda;

/// <summary>
/// Copies between host and device, within a device, and between devices, synchronous and queued on a stream.
/// Sizes are checked against both buffers. Pageable copies (from a managed span) are what ordinary programs do;
/// pinned copies reach full link speed. Peer copies go directly between GPUs when peer access is enabled
/// (<see cref="CudaContext.EnablePeerAccess"/>) and are staged through host memory by the driver otherwise.
/// Async copies return immediately: keep every buffer alive until the stream or an event says the copy finished.
/// </summary>
public static class CudaCopy
{
    /// <summary>Pageable host → device; returns when the data has been copied out of <paramref name="source"/>.</summary>
    public static unsafe void HostToDevice(DeviceBuffer destination, ReadOnlySpan<byte> source)
    {
        ArgumentNullException.ThrowIfNull(destination);
        CheckSize(source.Length, destination.SizeBytes, "destination");
        using var lease = new HandleLease(destination.Handle);
        destination.Context.MakeCurrent();
        fixed (byte* src = source)
        {
            CudaErrors.Check(CudaNative.cuMemcpyHtoD_v2(destination.Handle.Pointer, src, (nuint)source.Length), nameof(CudaNative.cuMemcpyHtoD_v2));
        }
    }

    /// <summary>Device → pageable host; returns when <paramref name="destination"/> holds the data.</summary>
    public static unsafe void DeviceToHost(Span<byte> destination, DeviceBuffer source)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckSize(destination.Length, source.SizeBytes, "source");
        using var lease = new HandleLease(source.Handle);
        source.Context.MakeCurrent();
        fixed (byte* dst = destination)
        {
            CudaErrors.Check(CudaNative.cuMemcpyDtoH_v2(dst, source.Handle.Pointer, (nuint)destination.Length), nameof(CudaNative.cuMemcpyDtoH_v2));
        }
    }

    /// <summary>Pinned host → device, <paramref name="bytes"/> bytes from the start of each buffer.</summary>
    public static unsafe void HostToDevice(DeviceBuffer destination, PinnedHostBuffer source, long bytes)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(source);
        CheckSize(bytes, destination.SizeBytes, "destination");
        CheckSize(bytes, source.SizeBytes, "source");
        using var dstLease = new HandleLease(destination.Handle);
        using var srcLease = new HandleLease(source.Handle);
        destination.Context.MakeCurrent();
        CudaErrors.Check(CudaNative.cuMemcpyHtoD_v2(destination.Handle.Pointer, (void*)source.Handle.Raw, (nuint)bytes), nameof(CudaNative.cuMemcpyHtoD_v2));
    }

    /// <summary>Device → pinned host, <paramref name="bytes"/> bytes from the start of each buffer.</summary>
    public static unsafe void DeviceToHost(PinnedHostBuffer destination, DeviceBuffer source, long bytes)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(source);
        CheckSize(bytes, destination.SizeBytes, "destination");
        CheckSize(bytes, source.SizeBytes, "source");
        using var dstLease = new HandleLease(destination.Handle);
        using var srcLease = new HandleLease(source.Handle);
        source.Context.MakeCurrent();
        CudaErrors.Check(CudaNative.cuMemcpyDtoH_v2((void*)destination.Handle.Raw, source.Handle.Pointer, (nuint)bytes), nameof(CudaNative.cuMemcpyDtoH_v2));
    }

    /// <summary>Device → device on the same GPU.</summary>
    public static void DeviceToDevice(DeviceBuffer destination, DeviceBuffer source, long bytes)
    {
        CheckPair(destination, source, bytes);
        using var dstLease = new HandleLease(destination.Handle);
        using var srcLease = new HandleLease(source.Handle);
        destination.Context.MakeCurrent();
        CudaErrors.Check(CudaNative.cuMemcpyDtoD_v2(destination.Handle.Pointer, source.Handle.Pointer, (nuint)bytes), nameof(CudaNative.cuMemcpyDtoD_v2));
    }

    /// <summary>GPU → GPU across contexts (<c>cuMemcpyPeer</c>); returns when the copy is done.</summary>
    public static void Peer(DeviceBuffer destination, DeviceBuffer source, long bytes)
    {
        CheckPair(destination, source, bytes);
        using var dstLease = new HandleLease(destination.Handle);
        using var srcLease = new HandleLease(source.Handle);
        using var dstCtx = new HandleLease(destination.Context.Handle);
        using var srcCtx = new HandleLease(source.Context.Handle);
        CudaErrors.Check(
            CudaNative.cuMemcpyPeer(destination.Handle.Pointer, destination.Context.Handle.Raw, source.Handle.Pointer, source.Context.Handle.Raw, (nuint)bytes),
            nameof(CudaNative.cuMemcpyPeer));
    }

    /// <summary>Queues pinned host → device on <paramref name="stream"/>.</summary>
    public static unsafe void HostToDeviceAsync(DeviceBuffer destination, PinnedHostBuffer source, long bytes, CudaStream stream)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(stream);
        CheckSize(bytes, destination.SizeBytes, "destination");
        CheckSize(bytes, source.SizeBytes, "source");
        using var dstLease = new HandleLease(destination.Handle);
        using var srcLease = new HandleLease(source.Handle);
        using var streamLease = new HandleLease(stream.Handle);
        stream.Context.MakeCurrent();
        CudaErrors.Check(
            CudaNative.cuMemcpyHtoDAsync_v2(destination.Handle.Pointer, (void*)source.Handle.Raw, (nuint)bytes, stream.Handle.Raw),
            nameof(CudaNative.cuMemcpyHtoDAsync_v2));
    }

    /// <summary>Queues device → pinned host on <paramref name="stream"/>.</summary>
    public static unsafe void DeviceToHostAsync(PinnedHostBuffer destination, DeviceBuffer source, long bytes, CudaStream stream)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(stream);
        CheckSize(bytes, destination.SizeBytes, "destination");
        CheckSize(bytes, source.SizeBytes, "source");
        using var dstLease = new HandleLease(destination.Handle);
        using var srcLease = new HandleLease(source.Handle);
        using var streamLease = new HandleLease(stream.Handle);
        stream.Context.MakeCurrent();
        CudaErrors.Check(
            CudaNative.cuMemcpyDtoHAsync_v2((void*)destination.Handle.Raw, source.Handle.Pointer, (nuint)bytes, stream.Handle.Raw),
            nameof(CudaNative.cuMemcpyDtoHAsync_v2));
    }

    /// <summary>Queues device → device (same GPU) on <paramref name="stream"/>.</summary>
    public static void DeviceToDeviceAsync(DeviceBuffer destination, DeviceBuffer source, long bytes, CudaStream stream)
    {
        CheckPair(destination, source, bytes);
        ArgumentNullException.ThrowIfNull(stream);
        using var dstLease = new HandleLease(destination.Handle);
        using var srcLease = new HandleLease(source.Handle);
        using var streamLease = new HandleLease(stream.Handle);
        stream.Context.MakeCurrent();
        CudaErrors.Check(
            CudaNative.cuMemcpyDtoDAsync_v2(destination.Handle.Pointer, source.Handle.Pointer, (nuint)bytes, stream.Handle.Raw),
            nameof(CudaNative.cuMemcpyDtoDAsync_v2));
    }

    /// <summary>Queues GPU → GPU (<c>cuMemcpyPeerAsync</c>) on <paramref name="stream"/>, which may belong to either GPU.</summary>
    public static void PeerAsync(DeviceBuffer destination, DeviceBuffer source, long bytes, CudaStream stream)
    {
        CheckPair(destination, source, bytes);
        ArgumentNullException.ThrowIfNull(stream);
        using var dstLease = new HandleLease(destination.Handle);
        using var srcLease = new HandleLease(source.Handle);
        using var dstCtx = new HandleLease(destination.Context.Handle);
        using var srcCtx = new HandleLease(source.Context.Handle);
        using var streamLease = new HandleLease(stream.Handle);
        stream.Context.MakeCurrent();
        CudaErrors.Check(
            CudaNative.cuMemcpyPeerAsync(
                destination.Handle.Pointer, destination.Context.Handle.Raw, source.Handle.Pointer, source.Context.Handle.Raw, (nuint)bytes, stream.Handle.Raw),
            nameof(CudaNative.cuMemcpyPeerAsync));
    }

    private static void CheckPair(DeviceBuffer destination, DeviceBuffer source, long bytes)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(source);
        CheckSize(bytes, destination.SizeBytes, "destination");
        CheckSize(bytes, source.SizeBytes, "source");
    }

    private static void CheckSize(long bytes, long capacity, string which)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        if (bytes > capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, $"The copy is {bytes} bytes but the {which} buffer holds {capacity}.");
        }
    }
}
