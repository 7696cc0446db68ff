namespace RigNotebooks.Simulation.Physics;

/// <summary>The simulated outcome of one all-reduce: time, nccl-tests' algbw and busbw, and faults.</summary>
public sealed record AllReduceEstimate(
    int Ranks,
    long Bytes,
    double TimeUs,
    double AlgBwGBps,
    double BusBwGBps,
    bool Hangs,
    bool Corrupts,
    string Explanation)
{
    /// <summary>nccl-tests' bus-bandwidth factor for all-reduce: 2(n-1)/n (REFERENCE.md §3).</summary>
    public static double BusFactor(int ranks) => ranks <= 1 ? 0 : 2.0 * (ranks - 1) / ranks;
}
