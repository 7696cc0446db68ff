namespace RigNotebooks.Interop.Cuda;

/// <summary>A CUDA event: a marker in a stream, for timing (GPU clock, excludes host enqueue cost) and waiting.</summary>
public sealed class CudaEvent : IDisposable
{
    internal CudaEvent(CudaContext context, CudaEventHandle handle)
    {
        Context = context;
        Handle = handle;
    }

    public CudaContext Context { get; }

    public CudaEventHandle Handle { get; }

    /// <summary>Records the event on <paramref name="stream"/> (or the legacy default stream when null).</summary>
    public void Record(CudaStream? stream = null)
    {
        using var lease = new HandleLease(Handle);
        Context.MakeCurrent();
        if (stream is null)
        {
            CudaErrors.Check(CudaNative.cuEventRecord(Handle.Raw, 0), nameof(CudaNative.cuEventRecord));
            return;
        }

        using var streamLease = new HandleLease(stream.Handle);
        CudaErrors.Check(CudaNative.cuEventRecord(Handle.Raw, stream.Handle.Raw), nameof(CudaNative.cuEventRecord));
    }

    public void Synchronize()
    {
        using var lease = new HandleLease(Handle);
        Context.MakeCurrent();
        CudaErrors.Check(CudaNative.cuEventSynchronize(Handle.Raw), nameof(CudaNative.cuEventSynchronize));
    }

    /// <summary>Whether the work before the event has completed, without blocking.</summary>
    public bool IsComplete()
    {
        using var lease = new HandleLease(Handle);
        Context.MakeCurrent();
        var result = CudaNative.cuEventQuery(Handle.Raw);
        if (result == CudaResult.NotReady)
        {
            return false;
        }

        CudaErrors.Check(result, nameof(CudaNative.cuEventQuery));
        return true;
    }

    /// <summary>Milliseconds between two recorded, completed timing events (about 0.5 µs resolution).</summary>
    public static double ElapsedMs(CudaEvent start, CudaEvent end)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(end);
        using var startLease = new HandleLease(start.Handle);
        using var endLease = new HandleLease(end.Handle);
        start.Context.MakeCurrent();
        CudaErrors.Check(CudaNative.cuEventElapsedTime(out var ms, start.Handle.Raw, end.Handle.Raw), nameof(CudaNative.cuEventElapsedTime));
        return ms;
    }

    public void Dispose() => Handle.Dispose();
}
