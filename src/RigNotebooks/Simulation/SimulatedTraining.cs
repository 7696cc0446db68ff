using System.Globalization;
using RigNotebooks.Doctor;
using RigNotebooks.Simulation.Physics;
using RigNotebooks.Workloads;

namespace RigNotebooks.Simulation;

/// <summary>
/// The simulated rig's training workload (<c>train</c>): data-parallel training of the reference transformer
/// (<see cref="TransformerShape.Reference"/>, 16 sequences per GPU per step as the kit's scaling runs use), one replica per
/// GPU, P2P on. Its work is tokens, at the rate <see cref="DataParallelModel"/> gives for the GPUs' clocks as they are at
/// each moment (under the cap, and held back when hot VRAM throttles): the slowest replica's forward and backward pass,
/// plus the gradient all-reduce it cannot hide. The GPUs are taken busy for the whole step with the model's memory-bound
/// share of the work (the same assumption as the planner's rig load); a rig whose peer transfers hang never completes a
/// step, and the workload says so.
/// </summary>
internal sealed class SimulatedTraining : IWorkload
{
    public const int MicroBatchSequences = 16;

    private readonly SimulatedGpuState state;
    private readonly IReadOnlyList<int> gpus;
    private readonly TransformerShape model = TransformerShape.Reference;
    private readonly GradientExchange exchange;
    private readonly double tokensPerGpu;

    public SimulatedTraining(SimulatedGpuState state, IReadOnlyList<int> gpus)
    {
        this.state = state;
        this.gpus = gpus;
        tokensPerGpu = (double)MicroBatchSequences * model.SequenceLength;
        exchange = new DataParallelModel(state.Rig).Communication(model, gpus, p2p: true);
        Name = string.Create(CultureInfo.InvariantCulture,
            $"simulated data-parallel training of {model.Name} ({MicroBatchSequences} x {model.SequenceLength} tokens per GPU per step, P2P on) on GPU {string.Join(",", gpus)}");
        Failure = exchange.Hangs ? $"the first gradient all-reduce never completes on this rig (simulated: {exchange.Explanation})" : null;
    }

    public string Name { get; }

    public string Unit => "token";

    public WorkMeter Meter { get; } = new();

    public string? Failure { get; }

    public IReadOnlyList<Finding> Findings => [];

    public Task StartAsync(CancellationToken ct)
    {
        Meter.Begin(state.Clock.NowS, gpus);
        var specs = gpus.Select(state.Rig.ModelOf).ToArray();
        state.SetLockstepLoad(gpus, DataParallelModel.MemoryBoundFraction, relative =>
        {
            if (exchange.Hangs)
            {
                return 0;
            }

            var compute = 0.0;
            for (var i = 0; i < specs.Length; i++)
            {
                compute = Math.Max(compute, DataParallelModel.ComputeTimeS(specs[i], model, tokensPerGpu, relative[i]));
            }

            var step = compute + DataParallelModel.ExposedS(compute, exchange);
            return tokensPerGpu * specs.Length / step;
        }, Meter);
        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        state.SetLoad(gpus, busy: false);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        state.SetLoad(gpus, busy: false);
        return ValueTask.CompletedTask;
    }
}
