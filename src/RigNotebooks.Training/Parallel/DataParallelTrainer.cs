using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using RigNotebooks.Simulation.Physics;
using RigNotebooks.Training.Collectives;
using RigNotebooks.Training.Data;
using RigNotebooks.Training.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace RigNotebooks.Training.Parallel;

/// <summary>
/// Data-parallel training in one process: one replica per device, each on its own thread (.NET has no GIL), identical
/// initial weights (broadcast from replica 0), a sharded sampler, gradients averaged by bucketed all-reduce, gradient
/// clipping and AdamW. The collective is whatever <see cref="ICollectiveBackend"/> is given; by default the CPU one for
/// cpu replicas and NCCL (<see cref="NcclCollectiveBackend"/>) for cuda:N replicas.
/// </summary>
public sealed class DataParallelTrainer : IDisposable
{
    private readonly List<ReplicaThread> threads = [];
    private readonly List<Replica> replicas = [];
    private readonly Tensor dataset;
    private bool faulted;
    private bool disposed;

    public DataParallelTrainer(TrainerOptions options, ICollectiveBackend? backend = null, IRendezvous? rendezvous = null)
    {
        options.Validate();
        TorchSharpLoader.EnsureLoadable();
        Options = options;
        Backend = backend ?? DefaultBackend(options);
        Corpus = new MarkovCorpus(options.Model.VocabSize, options.Seed);
        Sampler = new ShardedSampler(options.DatasetSequences, options.Replicas, options.Seed);
        dataset = BuildDataset(Corpus, options);
        rendezvous ??= new InProcessRendezvous();

        try
        {
            for (var r = 0; r < options.Replicas; r++)
            {
                threads.Add(new ReplicaThread($"replica-{r}"));
            }

            // Built one after another so each replica's initialisation is deterministic for its seed.
            for (var r = 0; r < options.Replicas; r++)
            {
                var rank = r;
                replicas.Add(Wait(threads[r].Run(() => new Replica(rank, options))));
            }

            var joins = Enumerable.Range(0, options.Replicas).Select(r => threads[r].Run(() =>
            {
                var token = rendezvous.Exchange(r, () => Backend.CreateToken(options.Replicas), options.Timeout);
                replicas[r].Connect(Backend.Join(token, r, options.Replicas));
                replicas[r].SynchronizeWeights();
                return r;
            })).ToList();
            WaitAll(joins, "joining the collective");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TrainerOptions Options { get; }

    public MarkovCorpus Corpus { get; }

    public ShardedSampler Sampler { get; }

    public ICollectiveBackend Backend { get; }

    /// <summary>Steps taken so far (the next step's index).</summary>
    public long StepsTaken { get; private set; }

    public int BucketCount => replicas[0].BucketCount;

    /// <summary>The next step of the sampler's schedule.</summary>
    public StepResult Step() => Step(Sampler.Step(StepsTaken, Options.PerReplicaBatch));

    /// <summary>One step on explicitly chosen examples (indices into the corpus), one list per replica.</summary>
    public StepResult Step(IReadOnlyList<int[]> examplesPerReplica)
    {
        if (faulted)
        {
            throw new InvalidOperationException("An earlier step failed and stopped every replica; this trainer cannot continue. Start again from a checkpoint.");
        }

        if (examplesPerReplica.Count != replicas.Count)
        {
            throw new ArgumentException($"Got examples for {examplesPerReplica.Count} replicas; there are {replicas.Count}.", nameof(examplesPerReplica));
        }

        var clock = Stopwatch.StartNew();
        var step = StepsTaken;
        var jobs = replicas.Select((replica, r) => threads[r].Run(() =>
        {
            using var index = tensor(examplesPerReplica[r].Select(i => (long)i).ToArray(), ScalarType.Int64);
            using var batch = dataset.index_select(0, index);
            return replica.Step(batch);
        })).ToList();

        var results = WaitAll(jobs, $"step {step}");
        clock.Stop();
        StepsTaken++;
        var tokens = examplesPerReplica.Sum(e => (long)e.Length) * Options.Model.SequenceLength;
        return new StepResult(
            step,
            Sampler.EpochOf(step, Options.PerReplicaBatch),
            results.Average(r => r.Loss),
            tokens,
            clock.Elapsed,
            results.Max(r => r.Compute),
            results.Max(r => r.Communicate),
            results);
    }

    /// <summary>The parameters of one replica, copied to the CPU, by name (for tests and comparisons).</summary>
    public IReadOnlyDictionary<string, float[]> Parameters(int replica = 0) =>
        Wait(threads[replica].Run(() =>
            replicas[replica].Model.named_parameters().ToDictionary(
                p => p.name,
                p =>
                {
                    using var cpu = p.parameter.detach().cpu();
                    return cpu.data<float>().ToArray();
                })));

    /// <summary>The gradients of one replica after the last step (averaged over replicas), by parameter name.</summary>
    public IReadOnlyDictionary<string, float[]> Gradients(int replica = 0) =>
        Wait(threads[replica].Run(() =>
            replicas[replica].Model.named_parameters().ToDictionary(
                p => p.name,
                p =>
                {
                    using var grad = p.parameter.grad;
                    using var cpu = grad is null ? null : grad.detach().cpu();
                    return cpu is null ? [] : cpu.data<float>().ToArray();
                })));

    /// <summary>Writes replica 0's weights and optimizer state plus the step counter to <paramref name="folder"/>.</summary>
    public void SaveCheckpoint(string folder)
    {
        Directory.CreateDirectory(folder);
        Wait(threads[0].Run(() =>
        {
            replicas[0].Model.save(Path.Combine(folder, CheckpointFiles.Model));
            replicas[0].Optimizer.save_state_dict(Path.Combine(folder, CheckpointFiles.Optimizer));
            return 0;
        }));
        var state = new CheckpointState(StepsTaken, Options.Model.Name, Options.Model, Options.Seed, Options.GlobalBatch);
        File.WriteAllText(Path.Combine(folder, CheckpointFiles.State), JsonSerializer.Serialize(state, CheckpointState.Json));
    }

    /// <summary>Loads a checkpoint into every replica (all read the same files, so they stay identical).</summary>
    public void LoadCheckpoint(string folder)
    {
        var state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(Path.Combine(folder, CheckpointFiles.State)), CheckpointState.Json)
            ?? throw new Errors.RigInputException($"{folder}: {CheckpointFiles.State} is empty.");
        if (state.Model != Options.Model || state.GlobalBatch != Options.GlobalBatch || state.Seed != Options.Seed)
        {
            throw new Errors.RigInputException($"{folder} was saved for model {state.ModelName}, batch {state.GlobalBatch}, seed {state.Seed}; this trainer runs {Options.Model.Name}, batch {Options.GlobalBatch}, seed {Options.Seed}.");
        }

        var loads = replicas.Select((replica, r) => threads[r].Run(() =>
        {
            replica.Model.load(Path.Combine(folder, CheckpointFiles.Model));
            replica.Optimizer.load_state_dict(Path.Combine(folder, CheckpointFiles.Optimizer));
            return r;
        })).ToList();
        WaitAll(loads, "loading the checkpoint");
        StepsTaken = state.Step;
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        for (var r = 0; r < replicas.Count; r++)
        {
            var replica = replicas[r];
            try
            {
                Wait(threads[r].Run(() =>
                {
                    replica.Dispose();
                    return 0;
                }));
            }
            catch (Exception ex) when (ex is InvalidOperationException or ExternalException)
            {
                // Disposing after a failure: the native side may already be torn down; nothing more to free.
            }
        }

        foreach (var t in threads)
        {
            t.Dispose();
        }

        dataset.Dispose();
    }

    /// <summary>The CPU collective for cpu replicas, NCCL for cuda:N replicas (which need TorchSharp's CUDA libtorch).</summary>
    private static ICollectiveBackend DefaultBackend(TrainerOptions options)
    {
        var cuda = options.Devices.Where(d => d != "cpu").ToList();
        if (cuda.Count == 0)
        {
            return new CpuCollectiveBackend(options.Timeout);
        }

        if (cuda.Count != options.Devices.Count)
        {
            throw new Errors.RigInputException($"Replicas on {string.Join(", ", options.Devices)} mix cpu and CUDA devices; one collective serves one kind: use all cpu or all cuda:N.");
        }

        if (!torch.cuda.is_available())
        {
            throw new Errors.RigEnvironmentException(
                $"Replicas on {string.Join(", ", cuda.Distinct())} need TorchSharp's CUDA libtorch, but this build loaded the CPU one (rebuild with -p:RigLibTorch=cuda on the GPU machine). " +
                "Their gradients would then be averaged over NCCL.");
        }

        var ordinals = cuda.Select(d => int.TryParse(d.AsSpan("cuda:".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new Errors.RigInputException($"Unknown device '{d}': use cuda:N with N a device ordinal.")).ToList();
        if (ordinals.Distinct().Count() != ordinals.Count)
        {
            throw new Errors.RigInputException($"Two replicas on one GPU ({string.Join(", ", cuda)}): NCCL needs one rank per device.");
        }

        return new NcclCollectiveBackend(ordinals, options.Timeout);
    }

    private static Tensor BuildDataset(MarkovCorpus corpus, TrainerOptions options)
    {
        var length = options.Model.SequenceLength + 1;
        var sequences = corpus.Sequences(options.DatasetSequences, length);
        var flat = new long[(long)options.DatasetSequences * length];
        for (var i = 0; i < sequences.Length; i++)
        {
            sequences[i].CopyTo(flat, (long)i * length);
        }

        return tensor(flat, [options.DatasetSequences, length], ScalarType.Int64).DetachFromDisposeScope();
    }

    private static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

    /// <summary>Waits for every replica; if any failed, one exception naming the root cause (not the aborts it caused).</summary>
    private List<T> WaitAll<T>(List<Task<T>> jobs, string what)
    {
        try
        {
            Task.WaitAll(jobs);
            return jobs.Select(j => j.Result).ToList();
        }
        catch (AggregateException)
        {
            faulted = true;
            var failures = jobs.Select((j, r) => (Rank: r, Error: j.Exception?.InnerException)).Where(f => f.Error is not null).ToList();
            var root = failures.FirstOrDefault(f => f.Error is not CollectiveAbortedException);
            if (root.Error is null)
            {
                var aborted = (CollectiveAbortedException)failures[0].Error!;
                var reason = aborted.InnerException is ReplicaFailedException rf ? rf.InnerException ?? rf : aborted.InnerException ?? aborted;
                root = (aborted.AbortingRank ?? failures[0].Rank, reason);
            }

            throw new DataParallelStepException(what, StepsTaken, root.Rank, replicas.Count, root.Error!);
        }
    }
}

internal static class CheckpointFiles
{
    public const string Model = "model.bin";
    public const string Optimizer = "optimizer.bin";
    public const string State = "trainer.json";
}

internal sealed record CheckpointState(long Step, string ModelName, TransformerShape Model, int Seed, int GlobalBatch)
{
    public static JsonSerializerOptions Json { get; } = new() { WriteIndented = true };
}
