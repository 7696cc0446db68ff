namespace RigNotebooks.Interop.Cuda;

/// <summary>Page-locked host memory: the source and destination for full-speed host↔device copies.</summary>
public sealed class PinnedHostBuffer : IDisposable
{
    internal PinnedHostBuffer(PinnedHostMemoryHandle handle, long sizeBytes)
    {
        Handle = handle;
        SizeBytes = sizeBytes;
    }

    public PinnedHostMemoryHandle Handle { get; }

    public long SizeBytes { get; }

    /// <summary>The host address; valid while the buffer is not disposed.</summary>
    public nint Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
            return Handle.Raw;
        }
    }

    /// <summary>The memory as a span (buffers up to 2 GiB; use <see cref="Slice"/> beyond).</summary>
    public unsafe Span<byte> AsSpan() => Slice(0, checked((int)SizeBytes));

    public unsafe Span<byte> Slice(long offset, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + length, SizeBytes);
        return new Span<byte>((byte*)Pointer + offset, length);
    }

    public void Dispose() => Handle.Dispose();
}
