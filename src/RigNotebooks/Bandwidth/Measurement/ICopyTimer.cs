namespace RigNotebooks.Bandwidth.Measurement;

/// <summary>
/// Times memory copies on a rig the way nvbandwidth does, and checks that peer copies arrive intact. A simulated
/// rig computes the answers from its model; a real rig queues them on the GPU (spin kernel, events, N copies).
/// Every call blocks until it has an answer — a peer copy on a broken driver may never return, which is why the
/// kit only makes such calls in a watched child process.
/// </summary>
public interface ICopyTimer
{
    /// <summary>Warms up, then times <see cref="CopyRequest.Samples"/> samples of <see cref="CopyRequest.CopiesPerSample"/> copies each.</summary>
    CopyTiming Time(CopyRequest request, CancellationToken cancellationToken);

    /// <summary>Per-copy latency of tiny copies between two GPUs.</summary>
    LatencyTiming Latency(LatencyRequest request, CancellationToken cancellationToken);

    /// <summary>Copies a non-trivial pattern from one GPU to another over the peer path, reads it back and compares.</summary>
    PeerCheckResult CheckPeerCopy(PeerCheckRequest request, CancellationToken cancellationToken);
}
