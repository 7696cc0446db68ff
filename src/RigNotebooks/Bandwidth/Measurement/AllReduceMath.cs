namespace RigNotebooks.Bandwidth.Measurement;

/// <summary>nccl-tests' arithmetic for all-reduce (REFERENCE.md §3): algbw = bytes / time; busbw = algbw × 2(n−1)/n,
/// the rate each rank's link must sustain for a ring all-reduce; GB = 1e9 bytes.</summary>
public static class AllReduceMath
{
    public static double BusFactor(int ranks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ranks);
        return 2.0 * (ranks - 1) / ranks;
    }

    /// <summary>Algorithm bandwidth, GB/s, of <paramref name="bytes"/> all-reduced in <paramref name="timeUs"/> microseconds.</summary>
    public static double AlgBwGBps(long bytes, double timeUs) => timeUs > 0 ? bytes / (timeUs * 1e3) : double.NaN;

    public static double BusBwGBps(long bytes, double timeUs, int ranks) => AlgBwGBps(bytes, timeUs) * BusFactor(ranks);
}
