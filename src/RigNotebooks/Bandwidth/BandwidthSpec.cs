namespace RigNotebooks.Bandwidth;

/// <summary>
/// What `rig bandwidth` measures and how, with nvbandwidth's defaults (REFERENCE.md §3): 512 MiB buffers,
/// 16 copies per sample, 3 samples, median reported; latency from 100 tiny copies (p2pBandwidthLatencyTest);
/// the peer data check copies 8 bytes, then a full buffer (DCGM's broken_p2p).
/// </summary>
public sealed record BandwidthSpec
{
    public const long DefaultBufferBytes = 512L * 1024 * 1024;

    public long BufferBytes { get; init; } = DefaultBufferBytes;

    public int CopiesPerSample { get; init; } = 16;

    public int Samples { get; init; } = 3;

    /// <summary>Copies made before timing, so the GPU leaves its idle clocks and the link leaves Gen1.</summary>
    public int WarmupCopies { get; init; } = 4;

    public int LatencyIterations { get; init; } = 100;

    public int LatencySamples { get; init; } = 3;

    /// <summary>The small peer check (DCGM's broken_p2p copies 8 bytes first).</summary>
    public long CheckSmallBytes { get; init; } = 8;

    /// <summary>The full-size peer check; null = <see cref="BufferBytes"/>.</summary>
    public long? CheckFullBytes { get; init; }

    /// <summary>Also time pageable (non-pinned) host copies.</summary>
    public bool IncludePageable { get; init; } = true;

    /// <summary>Case keys to run, in the suite's order; null = every case.</summary>
    public IReadOnlyList<string>? Cases { get; init; }

    /// <summary>Seconds a watched case may run before the watchdog kills it; null = the rig's default
    /// (<see cref="Execution.Deadlines"/>).</summary>
    public double? DeadlineSeconds { get; init; }

    public long FullCheckBytes => CheckFullBytes ?? BufferBytes;

    public void Validate()
    {
        Require(BufferBytes > 0, "the buffer size must be at least 1 byte");
        Require(CopiesPerSample > 0, "copies per sample must be at least 1");
        Require(Samples > 0, "samples must be at least 1");
        Require(WarmupCopies >= 0, "warm-up copies cannot be negative");
        Require(LatencyIterations > 0, "latency iterations must be at least 1");
        Require(LatencySamples > 0, "latency samples must be at least 1");
        Require(CheckSmallBytes > 0 && FullCheckBytes > 0, "peer check sizes must be at least 1 byte");
        Require(DeadlineSeconds is null or > 0, "the deadline must be positive");
    }

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new Errors.RigInputException($"Invalid bandwidth options: {problem}.");
        }
    }
}
