using RigNotebooks.Results;

namespace RigNotebooks.TrainingRuns;

/// <summary>
/// The capability of a rig that can really train the kit's reference model data-parallel (the <c>cpu</c> rig of the
/// training assembly; later CUDA replicas). Declared here so the CLI and notebooks ask for it without referencing
/// TorchSharp: a build without the training assembly simply has no rig that offers it.
/// </summary>
public interface IDataParallelTraining
{
    /// <summary>Trains as asked, writing one <c>train/step</c> row per step (and per replica) into <paramref name="run"/>.</summary>
    TrainingRunResult Train(TrainingRequest request, RunWriter run, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken);
}

/// <param name="Model">A <see cref="Simulation.Physics.TransformerShape"/> preset name (or "test").</param>
/// <param name="GlobalBatch">Sequences per step over all replicas.</param>
/// <param name="CheckpointFolder">Where to save a checkpoint at the end (none when null).</param>
/// <param name="ResumeFrom">A checkpoint folder to start from (none when null).</param>
public sealed record TrainingRequest(
    string Model,
    int Replicas,
    int Steps,
    int GlobalBatch,
    int ThreadsPerReplica = 1,
    int Seed = 1234,
    double LearningRate = 3e-3,
    string? CheckpointFolder = null,
    string? ResumeFrom = null);

public sealed record TrainingProgress(long Step, int Steps, double Loss, double TokensPerSecond);

/// <param name="EntropyFloorNats">The generated corpus's entropy rate: the best loss any model can reach.</param>
/// <param name="TokensPerSecond">Median over the steps after the first (which pays for warm-up).</param>
/// <param name="CommunicationShare">Median share of a step spent in the gradient all-reduce.</param>
public sealed record TrainingRunResult(
    string Model,
    long Parameters,
    double FlopsPerToken,
    int Replicas,
    int ThreadsPerReplica,
    int Steps,
    double FirstLoss,
    double LastLoss,
    double EntropyFloorNats,
    double TokensPerSecond,
    double StepTimeS,
    double CommunicationShare,
    int Buckets,
    string LoaderNote,
    string DeviceKind = "cpu");
