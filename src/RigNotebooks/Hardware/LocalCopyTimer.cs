using System.Diagnostics;
using System.Runtime.InteropServices;
using RigNotebooks.Bandwidth.Measurement;
using RigNotebooks.Interop.Cuda;
using RigNotebooks.Model;

namespace RigNotebooks.Hardware;

/// <summary>
/// Copies timed on this machine's GPUs with the CUDA driver API, the way nvbandwidth does: warm-up copies first (an
/// idle GPU's link sits at Gen1), then per sample a spin kernel holds the stream while the start event, N copies and
/// the stop event are queued; bandwidth = bytes × N / (stop − start). The PCIe link is read from NVML while the
/// copies run. Pageable host copies are synchronous in the driver, so they are timed on the host clock. Peer copies
/// with P2P on enable peer access both ways; with P2P off, access is disabled and the driver stages through host memory.
/// </summary>
internal sealed class LocalCopyTimer(Func<int, CudaDevice> cudaDevice, Func<int, PcieLink?> linkNow) : ICopyTimer, IDisposable
{
    private readonly Dictionary<int, (CudaContext Context, SpinKernel Spin)> gpus = [];

    /// <summary>On the local rig: rig GPU i is the CUDA device at its PCI bus id; the link is read from NVML.</summary>
    public static LocalCopyTimer For(LocalRig rig) => new(rig.CudaDevice, gpu => rig.NvmlDevice(gpu).Link());

    public CopyTiming Time(CopyRequest request, CancellationToken cancellationToken)
    {
        if (request.HostMemory == HostMemory.Pageable && request.Route is CopyRoute.HostToDevice or CopyRoute.DeviceToHost)
        {
            return TimePageable(request, cancellationToken);
        }

        var (ctx, spin) = Gpu(request.Gpu);
        var size = request.SizeBytes;
        var disposables = new List<IDisposable>();
        try
        {
            T Own<T>(T d) where T : IDisposable
            {
                disposables.Add(d);
                return d;
            }

            var stream = Own(ctx.CreateStream());
            var start = Own(ctx.CreateEvent());
            var stop = Own(ctx.CreateEvent());
            Action<CudaStream> copy;
            Action<CudaStream>? reverse = null;
            CudaStream? reverseStream = null;
            CudaEvent? reverseDone = null;
            switch (request.Route)
            {
                case CopyRoute.HostToDevice:
                {
                    var host = Own(ctx.AllocatePinned(size));
                    var device = Own(ctx.Allocate(size));
                    copy = s => CudaCopy.HostToDeviceAsync(device, host, size, s);
                    break;
                }

                case CopyRoute.DeviceToHost:
                {
                    var host = Own(ctx.AllocatePinned(size));
                    var device = Own(ctx.Allocate(size));
                    copy = s => CudaCopy.DeviceToHostAsync(host, device, size, s);
                    break;
                }

                case CopyRoute.DeviceLocal:
                {
                    var a = Own(ctx.Allocate(size));
                    var b = Own(ctx.Allocate(size));
                    copy = s => CudaCopy.DeviceToDeviceAsync(b, a, size, s);
                    break;
                }

                case CopyRoute.Peer:
                {
                    var peer = request.Peer ?? throw new ArgumentException("a peer copy needs a peer GPU", nameof(request));
                    var (peerCtx, _) = Gpu(peer);
                    SetPeerAccess(ctx, peerCtx, request.PeerAccess);
                    var source = Own(ctx.Allocate(size));
                    var destination = Own(peerCtx.Allocate(size));
                    copy = s => CudaCopy.PeerAsync(destination, source, size, s);
                    if (request.Bidirectional)
                    {
                        var back = Own(peerCtx.Allocate(size));
                        var backTarget = Own(ctx.Allocate(size));
                        reverseStream = Own(peerCtx.CreateStream());
                        reverseDone = Own(peerCtx.CreateEvent(timing: false));
                        reverse = s => CudaCopy.PeerAsync(backTarget, back, size, s);
                    }

                    break;
                }

                default:
                    throw new ArgumentOutOfRangeException(nameof(request), request.Route, "unknown copy route");
            }

            for (var i = 0; i < request.WarmupCopies; i++)
            {
                copy(stream);
                if (reverse is not null)
                {
                    reverse(reverseStream!);
                }
            }

            stream.Synchronize();
            reverseStream?.Synchronize();

            var seconds = new List<double>();
            PcieLink? link = null;
            for (var sample = 0; sample < request.Samples; sample++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                spin.Hold(stream);
                start.Record(stream);
                reverseStream?.WaitFor(start);
                for (var i = 0; i < request.CopiesPerSample; i++)
                {
                    copy(stream);
                    if (reverse is not null)
                    {
                        reverse(reverseStream!);
                    }
                }

                if (reverseStream is not null)
                {
                    reverseDone!.Record(reverseStream);
                    stream.WaitFor(reverseDone);
                }

                stop.Record(stream);
                spin.Release();
                if (request.Route is CopyRoute.HostToDevice or CopyRoute.DeviceToHost)
                {
                    link = linkNow(request.Gpu);
                }

                stop.Synchronize();
                seconds.Add(CudaEvent.ElapsedMs(start, stop) / 1000);
            }

            return new CopyTiming(seconds, request.BytesPerSample, link);
        }
        finally
        {
            for (var i = disposables.Count - 1; i >= 0; i--)
            {
                disposables[i].Dispose();
            }
        }
    }

    public LatencyTiming Latency(LatencyRequest request, CancellationToken cancellationToken)
    {
        var (ctx, spin) = Gpu(request.Gpu);
        var (peerCtx, _) = Gpu(request.Peer);
        SetPeerAccess(ctx, peerCtx, request.PeerAccess);
        using var source = ctx.Allocate(request.SizeBytes);
        using var destination = peerCtx.Allocate(request.SizeBytes);
        using var stream = ctx.CreateStream();
        using var start = ctx.CreateEvent();
        using var stop = ctx.CreateEvent();
        CudaCopy.PeerAsync(destination, source, request.SizeBytes, stream);
        stream.Synchronize();
        var samples = new List<double>();
        for (var sample = 0; sample < request.Samples; sample++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            spin.Hold(stream);
            start.Record(stream);
            for (var i = 0; i < request.Iterations; i++)
            {
                CudaCopy.PeerAsync(destination, source, request.SizeBytes, stream);
            }

            stop.Record(stream);
            spin.Release();
            stop.Synchronize();
            samples.Add(CudaEvent.ElapsedMs(start, stop) * 1000 / request.Iterations);
        }

        return new LatencyTiming(samples);
    }

    public PeerCheckResult CheckPeerCopy(PeerCheckRequest request, CancellationToken cancellationToken)
    {
        var (ctx, _) = Gpu(request.Source);
        var (peerCtx, _) = Gpu(request.Destination);
        SetPeerAccess(ctx, peerCtx, enabled: true);
        var size = request.SizeBytes;
        using var pattern = ctx.AllocatePinned(size);
        using var readBack = ctx.AllocatePinned(size);
        using var source = ctx.Allocate(size);
        using var destination = peerCtx.Allocate(size);
        using var stream = ctx.CreateStream();
        Fill(pattern, size);
        destination.Memset(0);
        peerCtx.Synchronize();
        CudaCopy.HostToDevice(source, pattern, size);
        CudaCopy.PeerAsync(destination, source, size, stream);
        stream.Synchronize();
        cancellationToken.ThrowIfCancellationRequested();
        CudaCopy.DeviceToHost(readBack, destination, size);
        return Compare(pattern, readBack, size);
    }

    public void Dispose()
    {
        foreach (var (context, spin) in gpus.Values)
        {
            spin.Dispose();
            context.Dispose();
        }

        gpus.Clear();
    }

    private (CudaContext Context, SpinKernel Spin) Gpu(int gpu)
    {
        if (!gpus.TryGetValue(gpu, out var entry))
        {
            var context = cudaDevice(gpu).RetainPrimaryContext();
            entry = (context, new SpinKernel(context));
            gpus[gpu] = entry;
        }

        return entry;
    }

    private static void SetPeerAccess(CudaContext a, CudaContext b, bool enabled)
    {
        if (enabled)
        {
            a.EnablePeerAccess(b);
            b.EnablePeerAccess(a);
        }
        else
        {
            a.DisablePeerAccess(b);
            b.DisablePeerAccess(a);
        }
    }

    /// <summary>Pageable copies block the host until done, so the host clock times them (after the same warm-up).</summary>
    private unsafe CopyTiming TimePageable(CopyRequest request, CancellationToken cancellationToken)
    {
        var (ctx, _) = Gpu(request.Gpu);
        var size = checked((int)request.SizeBytes);
        var host = NativeMemory.AlignedAlloc((nuint)size, 4096);
        try
        {
            var address = (nint)host;
            new Span<byte>(host, size).Fill(0x5A);
            using var device = ctx.Allocate(size);
            void Copy()
            {
                var span = new Span<byte>((void*)address, size);
                if (request.Route == CopyRoute.HostToDevice)
                {
                    CudaCopy.HostToDevice(device, span);
                }
                else
                {
                    CudaCopy.DeviceToHost(span, device);
                }
            }

            for (var i = 0; i < request.WarmupCopies; i++)
            {
                Copy();
            }

            var seconds = new List<double>();
            PcieLink? link = null;
            for (var sample = 0; sample < request.Samples; sample++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < request.CopiesPerSample; i++)
                {
                    Copy();
                    if (i == request.CopiesPerSample / 2)
                    {
                        clock.Stop();
                        link = linkNow(request.Gpu);
                        clock.Start();
                    }
                }

                seconds.Add(clock.Elapsed.TotalSeconds);
            }

            return new CopyTiming(seconds, request.BytesPerSample, link);
        }
        finally
        {
            NativeMemory.AlignedFree(host);
        }
    }

    /// <summary>A position-dependent pattern (no two neighbouring 4 KiB pages alike), so a page written twice or a
    /// page left unwritten is caught, as DCGM's broken_p2p intends.</summary>
    private static void Fill(PinnedHostBuffer buffer, long size)
    {
        const int chunk = 1 << 30;
        for (long offset = 0; offset < size; offset += chunk)
        {
            var span = buffer.Slice(offset, (int)Math.Min(chunk, size - offset));
            for (var i = 0; i < span.Length; i++)
            {
                var position = (ulong)(offset + i);
                span[i] = (byte)(((position * 0x9E3779B97F4A7C15UL) >> 56) ^ (position >> 12));
            }
        }
    }

    private static PeerCheckResult Compare(PinnedHostBuffer expected, PinnedHostBuffer actual, long size)
    {
        const int chunk = 1 << 30;
        long mismatched = 0;
        long? first = null;
        for (long offset = 0; offset < size; offset += chunk)
        {
            var length = (int)Math.Min(chunk, size - offset);
            var a = expected.Slice(offset, length);
            var b = actual.Slice(offset, length);
            if (a.SequenceEqual(b))
            {
                continue;
            }

            for (var i = 0; i < length; i++)
            {
                if (a[i] != b[i])
                {
                    first ??= offset + i;
                    mismatched++;
                }
            }
        }

        return new PeerCheckResult(size, mismatched, first);
    }
}
