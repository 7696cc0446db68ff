using System.Diagnostics;
using RigNotebooks.Training.Collectives;
using RigNotebooks.Training.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RigNotebooks.Training.Parallel;

/// <summary>One replica: its model, optimizer, gradient buckets and communicator, all used only on its own thread.</summary>
internal sealed class Replica : IDisposable
{
    private readonly TrainerOptions options;
    private readonly AdamW optimizer;
    private readonly GradientBuckets buckets;
    private readonly IReadOnlyList<Parameter> parameters;
    private ICollective? collective;

    private static readonly object SeededInitialisation = new();

    public Replica(int rank, TrainerOptions options)
    {
        Rank = rank;
        this.options = options;
        Device = new Device(options.Devices[rank]);
        torch.set_num_threads(options.ThreadsPerReplica);

        // Each replica starts from its own seed on purpose: the broadcast from rank 0 is what makes them equal.
        // torch.manual_seed sets one process-wide generator, so seeding and drawing the initial weights must not
        // interleave with another replica or trainer doing the same on another thread.
        lock (SeededInitialisation)
        {
            torch.manual_seed(options.Seed + rank);
            Model = new TransformerLm(options.Model, options.Precision);
        }

        Model.to(Device);
        parameters = Model.parameters().ToList();
        optimizer = torch.optim.AdamW(parameters, options.LearningRate, options.Beta1, options.Beta2, 1e-8, options.WeightDecay);
        buckets = new GradientBuckets(parameters.Cast<Tensor>().ToList(), options.BucketBytes, Device);
        buckets.BindGradients();
    }

    public int Rank { get; }

    public Device Device { get; }

    public TransformerLm Model { get; }

    public AdamW Optimizer => optimizer;

    public int BucketCount => buckets.Count;

    public void Connect(ICollective communicator) => collective = communicator;

    /// <summary>Makes this replica's weights rank 0's.</summary>
    public void SynchronizeWeights()
    {
        torch.set_num_threads(options.ThreadsPerReplica);
        buckets.BroadcastParameters(Collective, 0, Synchronize);
    }

    /// <summary>One optimizer step on this replica's share of the global batch: forward and backward on its examples,
    /// gradients averaged with every other replica, clipped, AdamW. Any failure aborts the communicator first, so the
    /// other replicas leave their collective call with this failure as the reason instead of waiting forever.</summary>
    public ReplicaStep Step(Tensor examples)
    {
        try
        {
            return StepCore(examples);
        }
        catch (Exception ex) when (ex is not CollectiveAbortedException)
        {
            collective?.Abort(new ReplicaFailedException(Rank, ex));
            throw;
        }
    }

    public void Dispose()
    {
        buckets.Dispose();
        optimizer.Dispose();
        Model.Dispose();
        collective?.Dispose();
    }

    private ReplicaStep StepCore(Tensor examples)
    {
        using var scope = torch.NewDisposeScope();
        var clock = Stopwatch.StartNew();
        buckets.ZeroGradients();
        var batch = examples.to(Device);
        var loss = Model.Loss(batch);
        loss.backward();
        Synchronize();
        var compute = clock.Elapsed;

        buckets.AllReduceGradients(Collective, Synchronize);
        var communicate = clock.Elapsed - compute;

        torch.nn.utils.clip_grad_norm_(parameters, options.ClipNorm);
        optimizer.step();
        Synchronize();
        var lossValue = loss.item<float>();
        return new ReplicaStep(Rank, lossValue, compute, communicate, clock.Elapsed);
    }

    private ICollective Collective => collective ?? throw new InvalidOperationException($"Replica {Rank} has no communicator yet.");

    private void Synchronize()
    {
        if (Device.type == DeviceType.CUDA)
        {
            // TorchSharp exposes no stream: wait for the device so a collective on another stream sees finished data.
            torch.cuda.synchronize(Device);
        }
    }
}

/// <summary>What one replica measured in one step.</summary>
public sealed record ReplicaStep(int Rank, double Loss, TimeSpan Compute, TimeSpan Communicate, TimeSpan Total);

/// <summary>The failure a replica reports to the others when it aborts the communicator.</summary>
public sealed class ReplicaFailedException : Exception
{
    public ReplicaFailedException()
    {
    }

    public ReplicaFailedException(string message)
        : base(message)
    {
    }

    public ReplicaFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ReplicaFailedException(int rank, Exception inner)
        : base($"replica {rank} failed: {inner.Message}", inner)
    {
        Rank = rank;
    }

    public int Rank { get; }
}
