namespace RigNotebooks.TrainingRuns;

/// <summary>Benchmarks of the kit's own training on a rig that can train for real (the <c>cpu</c> rig): the plain
/// single-process step, and data-parallel replicas against one replica on the same global batch.</summary>
public interface ITrainingBenchmark
{
    TrainingBenchmarkResult Run(TrainingBenchmarkRequest request, CancellationToken cancellationToken);
}

/// <param name="Replicas">Replica counts to compare with one replica (each with <paramref name="ThreadsPerReplica"/>).</param>
/// <param name="PlainThreads">Thread counts for the plain (no data parallelism) step, for comparison with PyTorch.</param>
public sealed record TrainingBenchmarkRequest(
    string Model,
    int GlobalBatch,
    int Steps,
    int Warmup,
    IReadOnlyList<int> Replicas,
    int ThreadsPerReplica,
    IReadOnlyList<int> PlainThreads);

/// <param name="PlainStepMs">Median plain step (forward, backward, clip, AdamW; no all-reduce) by thread count.</param>
public sealed record TrainingBenchmarkResult(
    string Model,
    long Parameters,
    int GlobalBatch,
    int SequenceLength,
    IReadOnlyDictionary<int, double> PlainStepMs,
    IReadOnlyList<DataParallelBenchmarkPoint> DataParallel);

/// <param name="EfficiencyPct">Speed-up over one replica divided by the replica count, × 100.</param>
/// <param name="CommShare">Median share of a step spent in the gradient all-reduce (including waiting for the slowest replica).</param>
public sealed record DataParallelBenchmarkPoint(int Replicas, int ThreadsPerReplica, double StepMs, double TokensPerSecond, double EfficiencyPct, double CommShare);
