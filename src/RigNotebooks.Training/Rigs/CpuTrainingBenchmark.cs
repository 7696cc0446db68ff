using System.Diagnostics;
using RigNotebooks.Results;
using RigNotebooks.Training.Data;
using RigNotebooks.Training.Model;
using RigNotebooks.Training.Native;
using RigNotebooks.Training.Parallel;
using RigNotebooks.TrainingRuns;
using TorchSharp;
using static TorchSharp.torch;

namespace RigNotebooks.Training.Rigs;

/// <summary>The figures behind two claims: TorchSharp's step costs about what PyTorch's does at the same thread count
/// (compare <see cref="PlainStepMs"/> with benchmarks/pytorch_step.py), and CPU data parallelism in one process
/// scales (R replicas × 1 thread against 1 × 1 on the same global batch).</summary>
public sealed class CpuTrainingBenchmark : ITrainingBenchmark
{
    public TrainingBenchmarkResult Run(TrainingBenchmarkRequest request, CancellationToken cancellationToken)
    {
        TorchSharpLoader.EnsureLoadable();
        var shape = ShapeRules.ByName(request.Model);
        var plain = request.PlainThreads.ToDictionary(t => t, t => PlainStepMs(shape, request.GlobalBatch, t, request.Steps, request.Warmup, cancellationToken));

        var points = new List<DataParallelBenchmarkPoint>();
        double? baseline = null;
        foreach (var replicas in request.Replicas.Where(r => r > 1).Prepend(1).Distinct())
        {
            var options = TrainerOptions.Cpu(shape, replicas, request.GlobalBatch, request.ThreadsPerReplica) with { DatasetSequences = Math.Max(1024, request.GlobalBatch * 4) };
            using var trainer = new DataParallelTrainer(options);
            for (var i = 0; i < request.Warmup; i++)
            {
                trainer.Step();
            }

            var steps = new List<StepResult>();
            for (var i = 0; i < request.Steps; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                steps.Add(trainer.Step());
            }

            var stepMs = Statistics.Median(steps.Select(s => s.StepTime.TotalMilliseconds));
            baseline ??= stepMs;
            points.Add(new DataParallelBenchmarkPoint(
                replicas,
                request.ThreadsPerReplica,
                stepMs,
                options.TokensPerStep / (stepMs / 1e3),
                100.0 * baseline.Value / stepMs / replicas,
                Statistics.Median(steps.Select(s => s.CommunicationShare))));
        }

        return new TrainingBenchmarkResult(shape.Name, shape.ParameterCount, request.GlobalBatch, shape.SequenceLength, plain, points);
    }

    /// <summary>The plain training step — forward, backward, clip, AdamW — on one fixed batch, no data parallelism:
    /// the same work benchmarks/pytorch_step.py times in PyTorch.</summary>
    public static double PlainStepMs(Simulation.Physics.TransformerShape shape, int batch, int threads, int steps, int warmup, CancellationToken cancellationToken = default)
    {
        double result = 0;
        var thread = new Thread(() =>
        {
            torch.set_num_threads(threads);
            torch.manual_seed(1);
            using var model = new TransformerLm(shape);
            using var optimizer = torch.optim.AdamW(model.parameters(), 3e-3, 0.9, 0.95, 1e-8, 0.01);
            var corpus = new MarkovCorpus(shape.VocabSize, 1);
            var data = corpus.Sequences(batch, shape.SequenceLength + 1).SelectMany(s => s).ToArray();
            using var examples = tensor(data, [batch, shape.SequenceLength + 1], ScalarType.Int64);
            var times = new List<double>();
            for (var i = 0; i < warmup + steps; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = torch.NewDisposeScope();
                var clock = Stopwatch.StartNew();
                optimizer.zero_grad();
                var loss = model.Loss(examples);
                loss.backward();
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0);
                optimizer.step();
                clock.Stop();
                if (i >= warmup)
                {
                    times.Add(clock.Elapsed.TotalMilliseconds);
                }
            }

            result = Statistics.Median(times);
        });
        thread.Start();
        thread.Join();
        return result;
    }
}
