namespace RigNotebooks.Bandwidth.Measurement;

/// <summary>
/// Times all-reduce (sum) over a set of GPUs, as nccl-tests' all_reduce_perf does: warm-up iterations, then the
/// mean time of the timed iterations, and a data check. A real rig uses NCCL; P2P off there means the process was
/// started with NCCL_P2P_DISABLE=1, which the kit arranges by running each P2P mode in its own child process.
/// </summary>
public interface IAllReduceTimer
{
    AllReduceTiming Time(AllReduceRequest request, CancellationToken cancellationToken);
}

/// <summary>One all-reduce size: float32 sum over <paramref name="Gpus"/> of <paramref name="SizeBytes"/> per rank.</summary>
public sealed record AllReduceRequest(
    IReadOnlyList<int> Gpus,
    long SizeBytes,
    bool InPlace,
    bool PeerToPeer,
    int WarmupIterations,
    int Iterations,
    bool CheckData)
{
    public const int ElementBytes = 4;

    public long Elements => SizeBytes / ElementBytes;
}

/// <summary>The mean time of one all-reduce, and how many elements came out wrong (null when not checked).</summary>
public sealed record AllReduceTiming(double TimeUs, long? WrongElements);
