namespace RigNotebooks.Interop.Cuda;

/// <summary>A CUDA stream: work queued on it runs in order, asynchronously to the host.</summary>
public sealed class CudaStream : IDisposable
{
    internal CudaStream(CudaContext context, CudaStreamHandle handle)
    {
        Context = context;
        Handle = handle;
    }

    public CudaContext Context { get; }

    public CudaStreamHandle Handle { get; }

    /// <summary>Blocks until all queued work is done. A hung peer copy blocks here: run it under a watchdog.</summary>
    public void Synchronize()
    {
        using var lease = new HandleLease(Handle);
        Context.MakeCurrent();
        CudaErrors.Check(CudaNative.cuStreamSynchronize(Handle.Raw), nameof(CudaNative.cuStreamSynchronize));
    }

    /// <summary>Whether all queued work is done, without blocking (poll this to implement a watchdog).</summary>
    public bool IsComplete()
    {
        using var lease = new HandleLease(Handle);
        Context.MakeCurrent();
        var result = CudaNative.cuStreamQuery(Handle.Raw);
        if (result == CudaResult.NotReady)
        {
            return false;
        }

        CudaErrors.Check(result, nameof(CudaNative.cuStreamQuery));
        return true;
    }

    /// <summary>Makes later work on this stream wait for <paramref name="cudaEvent"/> (which may belong to another GPU).</summary>
    public void WaitFor(CudaEvent cudaEvent)
    {
        using var lease = new HandleLease(Handle);
        using var eventLease = new HandleLease(cudaEvent.Handle);
        Context.MakeCurrent();
        CudaErrors.Check(CudaNative.cuStreamWaitEvent(Handle.Raw, cudaEvent.Handle.Raw, 0), nameof(CudaNative.cuStreamWaitEvent));
    }

    public void Dispose() => Handle.Dispose();
}
