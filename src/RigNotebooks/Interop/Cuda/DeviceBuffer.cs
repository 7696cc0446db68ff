namespace RigNotebooks.Interop.Cuda;

/// <summary>Device memory of <see cref="SizeBytes"/> bytes in one context.</summary>
public sealed class DeviceBuffer : IDisposable
{
    internal DeviceBuffer(CudaContext context, DeviceMemoryHandle handle, long sizeBytes)
    {
        Context = context;
        Handle = handle;
        SizeBytes = sizeBytes;
    }

    public CudaContext Context { get; }

    public DeviceMemoryHandle Handle { get; }

    public long SizeBytes { get; }

    /// <summary>The <c>CUdeviceptr</c>, for kernel arguments; valid while the buffer is not disposed.</summary>
    public ulong Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
            return Handle.Pointer;
        }
    }

    /// <summary>Sets every byte (<c>cuMemsetD8_v2</c>); waits for completion.</summary>
    public void Memset(byte value)
    {
        using var lease = new HandleLease(Handle);
        Context.MakeCurrent();
        CudaErrors.Check(CudaNative.cuMemsetD8_v2(Handle.Pointer, value, checked((nuint)SizeBytes)), nameof(CudaNative.cuMemsetD8_v2));
    }

    /// <summary>Fills the buffer with a 32-bit pattern (<c>cuMemsetD32_v2</c>); the size must be a multiple of 4.</summary>
    public void Memset32(uint value)
    {
        if (SizeBytes % 4 != 0)
        {
            throw new InvalidOperationException($"Memset32 needs a size that is a multiple of 4 bytes; this buffer has {SizeBytes}.");
        }

        using var lease = new HandleLease(Handle);
        Context.MakeCurrent();
        CudaErrors.Check(CudaNative.cuMemsetD32_v2(Handle.Pointer, value, checked((nuint)(SizeBytes / 4))), nameof(CudaNative.cuMemsetD32_v2));
    }

    /// <summary>Queues a byte fill on <paramref name="stream"/>.</summary>
    public void MemsetAsync(byte value, CudaStream stream)
    {
        using var lease = new HandleLease(Handle);
        using var streamLease = new HandleLease(stream.Handle);
        Context.MakeCurrent();
        CudaErrors.Check(
            CudaNative.cuMemsetD8Async(Handle.Pointer, value, checked((nuint)SizeBytes), stream.Handle.Raw),
            nameof(CudaNative.cuMemsetD8Async));
    }

    public void Dispose() => Handle.Dispose();

    public override string ToString() => $"{SizeBytes} bytes on {Context.Device}";
}
