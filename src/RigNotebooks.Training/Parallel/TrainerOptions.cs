using RigNotebooks.Errors;
using RigNotebooks.Simulation.Physics;
using RigNotebooks.Training.Model;

namespace RigNotebooks.Training.Parallel;

/// <summary>Everything that decides what a data-parallel run computes. Two runs with equal options compute the same
/// thing, whatever the replica count (the global batch is split, not multiplied).</summary>
/// <param name="GlobalBatch">Sequences per optimizer step, over all replicas; a multiple of <paramref name="Replicas"/>.</param>
/// <param name="Devices">One device per replica: "cpu" (any number of times) or "cuda:N".</param>
/// <param name="ThreadsPerReplica">libtorch intra-op threads each replica's thread may use (CPU).</param>
/// <param name="BucketBytes">Gradients are all-reduced in flat buckets of about this size (PyTorch DDP uses 25 MB).</param>
/// <param name="DatasetSequences">How many sequences the generated corpus holds.</param>
/// <param name="CollectiveTimeout">The watchdog: how long a rank waits for the others before the step fails.</param>
public sealed record TrainerOptions(
    TransformerShape Model,
    IReadOnlyList<string> Devices,
    int GlobalBatch,
    double LearningRate = 3e-3,
    double WeightDecay = 0.01,
    double Beta1 = 0.9,
    double Beta2 = 0.95,
    double ClipNorm = 1.0,
    long BucketBytes = 25_000_000,
    int Seed = 1234,
    int ThreadsPerReplica = 1,
    Precision Precision = Precision.Fp32,
    int DatasetSequences = 4096,
    TimeSpan? CollectiveTimeout = null)
{
    public int Replicas => Devices.Count;

    public int PerReplicaBatch => GlobalBatch / Replicas;

    public TimeSpan Timeout => CollectiveTimeout ?? TimeSpan.FromSeconds(120);

    /// <summary>Tokens (predicted positions) per optimizer step over all replicas.</summary>
    public long TokensPerStep => (long)GlobalBatch * Model.SequenceLength;

    public static TrainerOptions Cpu(TransformerShape model, int replicas, int globalBatch, int threadsPerReplica = 1) =>
        new(model, Enumerable.Repeat("cpu", replicas).ToList(), globalBatch, ThreadsPerReplica: threadsPerReplica);

    /// <summary>One replica per GPU (<c>cuda:0</c> … <c>cuda:N-1</c>) with bf16 autocast, as PyTorch DDP runs on
    /// Ampere and newer; the trainer picks NCCL for the gradients.</summary>
    public static TrainerOptions Cuda(TransformerShape model, int gpus, int globalBatch) =>
        new(model, Enumerable.Range(0, gpus).Select(i => $"cuda:{i}").ToList(), globalBatch, Precision: Precision.Bf16Autocast);

    public void Validate()
    {
        Model.Validate();
        if (Replicas < 1)
        {
            throw new RigInputException("Data-parallel training needs at least one replica.");
        }

        if (GlobalBatch < Replicas || GlobalBatch % Replicas != 0)
        {
            throw new RigInputException($"The global batch ({GlobalBatch}) must be a positive multiple of the replica count ({Replicas}).");
        }

        if (DatasetSequences < GlobalBatch)
        {
            throw new RigInputException($"The corpus ({DatasetSequences} sequences) is smaller than one global batch ({GlobalBatch}).");
        }

        if (ThreadsPerReplica < 1 || BucketBytes < 4 || LearningRate <= 0 || ClipNorm <= 0)
        {
            throw new RigInputException("Threads per replica, bucket size, learning rate and clipping norm must be positive.");
        }

        foreach (var d in Devices)
        {
            if (d != "cpu" && !d.StartsWith("cuda:", StringComparison.Ordinal))
            {
                throw new RigInputException($"Unknown device '{d}': use cpu or cuda:N.");
            }
        }
    }
}
