namespace RigNotebooks.Bandwidth.Measurement;

/// <summary>Latency of tiny copies from <paramref name="Gpu"/> to <paramref name="Peer"/>: <paramref name="Iterations"/>
/// copies per sample (p2pBandwidthLatencyTest uses 100), the per-copy time reported.</summary>
public sealed record LatencyRequest(int Gpu, int Peer, bool PeerAccess, int Iterations, int Samples, long SizeBytes = LatencyRequest.DefaultSizeBytes)
{
    /// <summary>A 4-byte element: the smallest copy, so the time is all latency.</summary>
    public const long DefaultSizeBytes = 4;
}

/// <summary>The per-copy latency of each sample, microseconds.</summary>
public sealed record LatencyTiming(IReadOnlyList<double> SampleMicroseconds);
