namespace RigNotebooks.Bandwidth;

/// <summary>
/// One unit of measurement: a case on one GPU, one ordered pair, or one all-reduce size. Self-contained and
/// serialisable, so the watchdog can hand a list of them to a child process and account for each one.
/// </summary>
/// <param name="Case">The case key (see <see cref="Cases.BandwidthCases"/>).</param>
/// <param name="Gpu">The GPU, or the source of a peer transfer; null when the rig lacks the GPUs the case needs.</param>
/// <param name="Peer">The destination of a peer transfer.</param>
/// <param name="P2P">For peer cases and all-reduce: P2P on or off.</param>
/// <param name="SizeBytes">For all-reduce: bytes per rank.</param>
/// <param name="InPlace">For all-reduce: in-place (true) or out-of-place (false).</param>
/// <param name="Gpus">For all-reduce: the ranks in ring order.</param>
public sealed record WorkItem(
    string Case,
    int? Gpu = null,
    int? Peer = null,
    bool? P2P = null,
    long? SizeBytes = null,
    bool? InPlace = null,
    IReadOnlyList<int>? Gpus = null);

/// <summary>The options every case may read: the bandwidth and all-reduce specs.</summary>
public sealed record CaseSettings(BandwidthSpec Bandwidth, AllReduceSpec AllReduce)
{
    public static CaseSettings Default { get; } = new(new BandwidthSpec(), new AllReduceSpec());
}
