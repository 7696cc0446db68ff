namespace RigNotebooks.Bandwidth;

/// <summary>
/// What `rig allreduce` measures, like nccl-tests' <c>all_reduce_perf -b 8 -e 256M -f 2</c> (REFERENCE.md §3):
/// float32 sum from <see cref="MinBytes"/> to <see cref="MaxBytes"/> by <see cref="StepFactor"/>, 1 warm-up and
/// 20 timed iterations, data checked; out-of-place and in-place; P2P on and off.
/// </summary>
public sealed record AllReduceSpec
{
    public long MinBytes { get; init; } = 8;

    public long MaxBytes { get; init; } = 256L * 1024 * 1024;

    public int StepFactor { get; init; } = 2;

    public int WarmupIterations { get; init; } = 1;

    public int Iterations { get; init; } = 20;

    /// <summary>The ranks, in ring order; null = every GPU of the rig.</summary>
    public IReadOnlyList<int>? Gpus { get; init; }

    /// <summary>P2P modes to run, in order: false = off (NCCL_P2P_DISABLE=1), true = on. Off comes first: it is the
    /// control run, and a P2P hang then ends the sweep instead of costing another worker.</summary>
    public IReadOnlyList<bool> PeerToPeerModes { get; init; } = [false, true];

    /// <summary>false = out-of-place, true = in-place; nccl-tests prints both.</summary>
    public IReadOnlyList<bool> InPlaceModes { get; init; } = [false, true];

    public bool CheckData { get; init; } = true;

    /// <summary>Seconds one size may run before the watchdog kills it; null = the rig's default.</summary>
    public double? DeadlineSeconds { get; init; }

    /// <summary>The sizes of the sweep, each rounded down to whole float32 elements (at least one).</summary>
    public IReadOnlyList<long> Sizes()
    {
        var sizes = new List<long>();
        for (var size = MinBytes; size <= MaxBytes; size *= StepFactor)
        {
            sizes.Add(Math.Max(4, size / 4 * 4));
            if (StepFactor <= 1 || size > long.MaxValue / StepFactor)
            {
                break;
            }
        }

        return sizes.Distinct().ToList();
    }

    public void Validate()
    {
        Require(MinBytes > 0, "the smallest size must be at least 1 byte");
        Require(MaxBytes >= MinBytes, "the largest size must not be below the smallest");
        Require(StepFactor >= 2, "the step factor must be at least 2");
        Require(WarmupIterations >= 0, "warm-up iterations cannot be negative");
        Require(Iterations > 0, "iterations must be at least 1");
        Require(PeerToPeerModes.Count > 0, "choose at least one P2P mode");
        Require(InPlaceModes.Count > 0, "choose in-place, out-of-place or both");
        Require(Gpus is null || (Gpus.Count > 0 && Gpus.Distinct().Count() == Gpus.Count), "the GPU list must name each GPU once");
        Require(DeadlineSeconds is null or > 0, "the deadline must be positive");
    }

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new Errors.RigInputException($"Invalid all-reduce options: {problem}.");
        }
    }
}
