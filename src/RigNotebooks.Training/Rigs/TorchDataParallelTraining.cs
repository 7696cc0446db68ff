using System.Globalization;
using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Training.Model;
using RigNotebooks.Training.Native;
using RigNotebooks.Training.Parallel;
using RigNotebooks.TrainingRuns;
using TorchSharp;

namespace RigNotebooks.Training.Rigs;

/// <summary>Real data-parallel training of the reference model with TorchSharp, written as <c>train/step</c> rows: on
/// CPU replicas (fp32, the CPU collective), or one replica per CUDA GPU (bf16 autocast, NCCL; needs the CUDA
/// libtorch build).</summary>
public sealed class TorchDataParallelTraining(bool cuda) : IDataParallelTraining
{
    public const string Experiment = "train";

    /// <summary>"cuda" or "cpu": what the replicas run on.</summary>
    public string DeviceKind => cuda ? "cuda" : "cpu";

    public TrainingRunResult Train(TrainingRequest request, RunWriter run, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var shape = ShapeRules.ByName(request.Model);
        var loader = TorchSharpLoader.EnsureLoadable();
        if (cuda && request.Replicas > torch.cuda.device_count())
        {
            throw new Errors.RigInputException($"--replicas {request.Replicas} asks for more GPUs than TorchSharp sees ({torch.cuda.device_count()}); one replica runs per GPU.");
        }

        var baseline = cuda
            ? TrainerOptions.Cuda(shape, request.Replicas, request.GlobalBatch)
            : TrainerOptions.Cpu(shape, request.Replicas, request.GlobalBatch, request.ThreadsPerReplica);
        var options = baseline with
        {
            Seed = request.Seed,
            LearningRate = request.LearningRate,
            DatasetSequences = Math.Max(4096, request.GlobalBatch * 8),
        };
        using var trainer = new DataParallelTrainer(options);
        if (request.ResumeFrom is { } resume)
        {
            trainer.LoadCheckpoint(resume);
        }

        var steps = new List<StepResult>();
        for (var i = 0; i < request.Steps; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var s = trainer.Step();
            steps.Add(s);
            Write(run, s, request.Replicas);
            progress?.Report(new TrainingProgress(s.Step, request.Steps, s.Loss, s.TokensPerSecond));
        }

        if (request.CheckpointFolder is { } folder)
        {
            trainer.SaveCheckpoint(folder);
        }

        var steady = steps.Count > 1 ? steps.Skip(1).ToList() : steps;
        return new TrainingRunResult(
            shape.Name,
            shape.ParameterCount,
            shape.TrainingFlopsPerToken,
            request.Replicas,
            request.ThreadsPerReplica,
            steps.Count,
            steps.Count > 0 ? steps[0].Loss : double.NaN,
            steps.Count > 0 ? steps[^1].Loss : double.NaN,
            trainer.Corpus.EntropyRateNats,
            steady.Count > 0 ? Statistics.Median(steady.Select(s => s.TokensPerSecond)) : 0,
            steady.Count > 0 ? Statistics.Median(steady.Select(s => s.StepTime.TotalSeconds)) : 0,
            steady.Count > 0 ? Statistics.Median(steady.Select(s => s.CommunicationShare)) : 0,
            trainer.BucketCount,
            loader.Describe(),
            DeviceKind);
    }

    private static void Write(RunWriter run, StepResult s, int replicas)
    {
        var p = new Dictionary<string, string>
        {
            ["step"] = s.Step.ToString(CultureInfo.InvariantCulture),
            ["replicas"] = replicas.ToString(CultureInfo.InvariantCulture),
        };
        run.Write(ResultRow.Ok(Experiment, "step", null, null, "loss", s.Loss, "count", DataSource.Measured, p));
        run.Write(ResultRow.Ok(Experiment, "step", null, null, "tokens_per_s", s.TokensPerSecond, "tokens/s", DataSource.Measured, p));
        run.Write(ResultRow.Ok(Experiment, "step", null, null, "step_time", s.StepTime.TotalSeconds, "s", DataSource.Measured, p));
        run.Write(ResultRow.Ok(Experiment, "step", null, null, "compute_time", s.ComputeTime.TotalSeconds, "s", DataSource.Measured, p));
        run.Write(ResultRow.Ok(Experiment, "step", null, null, "comm_time", s.CommunicationTime.TotalSeconds, "s", DataSource.Measured, p));
    }
}
