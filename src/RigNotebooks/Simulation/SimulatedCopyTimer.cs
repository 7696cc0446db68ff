using RigNotebooks.Bandwidth.Measurement;
using RigNotebooks.Simulation.Physics;

namespace RigNotebooks.Simulation;

/// <summary>
/// Copies timed on the simulated rig: each answer comes from the <see cref="InterconnectModel"/> (link rate × width
/// × efficiency along the topology's path), optionally with seeded measurement noise. The profile's faults are
/// real behaviour here: a hanging peer path blocks the calling thread until it is cancelled or the process is
/// killed — exactly what the watchdog has to survive — and a corrupting one returns wrong bytes.
/// </summary>
internal sealed class SimulatedCopyTimer(SimulatedRig rig) : ICopyTimer
{
    private readonly InterconnectModel model = new(rig);

    public CopyTiming Time(CopyRequest request, CancellationToken cancellationToken)
    {
        var rate = request.Route switch
        {
            CopyRoute.HostToDevice => model.HostToDeviceGBps(request.Gpu, request.HostMemory == HostMemory.Pinned),
            CopyRoute.DeviceToHost => model.DeviceToHostGBps(request.Gpu, request.HostMemory == HostMemory.Pinned),
            CopyRoute.DeviceLocal => model.DeviceLocalCopyGBps(request.Gpu),
            CopyRoute.Peer => PeerRate(request, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Route, "unknown copy route"),
        };
        var noise = Noise(request.ToString());
        var seconds = Enumerable.Range(0, request.Samples)
            .Select(_ => request.BytesPerSample / (rate * noise.NextFactor() * 1e9))
            .ToList();
        var link = request.Route is CopyRoute.HostToDevice or CopyRoute.DeviceToHost ? model.LinkUnderLoad(request.Gpu) : null;
        return new CopyTiming(seconds, request.BytesPerSample, link);
    }

    public LatencyTiming Latency(LatencyRequest request, CancellationToken cancellationToken)
    {
        var path = model.Peer(request.Gpu, request.Peer, request.PeerAccess, bidirectional: false);
        Unavailable(path);
        BlockIfHung(path, cancellationToken);
        var noise = Noise(request.ToString());
        return new LatencyTiming(Enumerable.Range(0, request.Samples).Select(_ => path.LatencyUs * noise.NextFactor()).ToList());
    }

    public PeerCheckResult CheckPeerCopy(PeerCheckRequest request, CancellationToken cancellationToken)
    {
        var path = model.Peer(request.Source, request.Destination, p2p: true, bidirectional: false);
        Unavailable(path);
        BlockIfHung(path, cancellationToken);
        if (path is { Corrupts: true, FirstWrongOffsetBytes: { } first } && request.SizeBytes > first)
        {
            return new PeerCheckResult(request.SizeBytes, request.SizeBytes - first, first);
        }

        return new PeerCheckResult(request.SizeBytes, 0, null);
    }

    private double PeerRate(CopyRequest request, CancellationToken cancellationToken)
    {
        var path = model.Peer(request.Gpu, request.Peer ?? throw new ArgumentException("a peer copy needs a peer GPU", nameof(request)), request.PeerAccess, request.Bidirectional);
        Unavailable(path);
        BlockIfHung(path, cancellationToken);
        return path.BandwidthGBps;
    }

    private static void Unavailable(PeerPathEstimate path)
    {
        if (!path.Available)
        {
            throw new InvalidOperationException($"The simulated peer path cannot be used: {path.Explanation}");
        }
    }

    /// <summary>The driver-545 behaviour: the transfer never completes. Block until cancelled (in-process) or
    /// until the watchdog kills the process.</summary>
    internal static void BlockIfHung(bool hangs, CancellationToken cancellationToken)
    {
        if (!hangs)
        {
            return;
        }

        cancellationToken.WaitHandle.WaitOne();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static void BlockIfHung(PeerPathEstimate path, CancellationToken cancellationToken) => BlockIfHung(path.Hangs, cancellationToken);

    private SimulatedNoise Noise(string what) => new(rig.Options, what);
}
