using System.Globalization;
using RigNotebooks.Simulation;
using RigNotebooks.Simulation.Physics;

namespace RigNotebooks.Planning;

/// <summary>
/// Data-parallel training of one model on every GPU of a simulated rig, through <see cref="DataParallelModel"/>:
/// tokens/s on all GPUs and on GPU 0 alone, and the scaling efficiency between them. Unknown (null, with the reason)
/// when the model's state does not fit a GPU or the rig's faults hang the all-reduce.
/// </summary>
/// <remarks>
/// Fit: data-parallel training keeps a full replica per GPU: fp32 weights and gradients (4 + 4 bytes per parameter) and
/// Adam's two fp32 moments (8 bytes), 16 bytes per parameter — the same count as ZeRO's (Rajbhandari et al. 2020,
/// "ZeRO: memory optimizations toward training trillion parameter models", §3.1). Activations come on top, so a model
/// that passes this check may still not fit at the chosen micro-batch; one that fails it cannot train by plain DDP.
/// </remarks>
public sealed record TrainingEstimate(
    TransformerShape Model,
    int Gpus,
    double TokensPerGpu,
    DataParallelStep? Step,
    DataParallelStep? SingleGpu,
    string? WhyUnknown)
{
    public const int ModelStateBytesPerParameter = 16;

    public double? TokensPerSecond => Step?.TokensPerSecond;

    public double? Efficiency => Step is { } s && SingleGpu is { } one ? s.TokensPerSecond / (Gpus * one.TokensPerSecond) : null;

    public double ModelStateBytes => (double)Model.ParameterCount * ModelStateBytesPerParameter;

    public static TrainingEstimate Of(SimulatedRig rig, TransformerShape model, int microBatchSequences)
    {
        var tokensPerGpu = (double)microBatchSequences * model.SequenceLength;
        var gpus = rig.Describe().Gpus.Count;
        var stateBytes = (double)model.ParameterCount * ModelStateBytesPerParameter;
        var smallest = Enumerable.Range(0, gpus).Select(i => rig.ModelOf(i)).MinBy(s => s.MemoryBytes)!;
        if (stateBytes > smallest.MemoryBytes)
        {
            return new TrainingEstimate(model, gpus, tokensPerGpu, null, null, string.Create(CultureInfo.InvariantCulture,
                $"{model.Name} ({model.ParameterCount / 1e6:0} M parameters) needs {stateBytes / 1e9:0.0} GB of model state per GPU for data-parallel training ({ModelStateBytesPerParameter} bytes per parameter: fp32 weights, gradients and Adam moments), more than {smallest.Name}'s {smallest.MemoryBytes / 1e9:0.0} GB; plain DDP cannot train it (sharding or offload would be another model)"));
        }

        var ddp = new DataParallelModel(rig);
        var step = ddp.Step(model, gpus, p2p: true, tokensPerGpu);
        if (step.Hangs)
        {
            return new TrainingEstimate(model, gpus, tokensPerGpu, null, null, $"training hangs: the all-reduce's peer transfers never complete on this rig (its profile's fault: {rig.Profile.Faults.Notes ?? "peer copies hang"})");
        }

        var one = ddp.Step(model, 1, p2p: true, tokensPerGpu);
        return new TrainingEstimate(model, gpus, tokensPerGpu, step, one, null);
    }

    public string Explanation => Step is { } s && SingleGpu is { } one
        ? string.Create(CultureInfo.InvariantCulture,
            $"{Model.Name}, {Model.ParameterCount / 1e6:0.0} M parameters, {TokensPerGpu:0} tokens per GPU per step; {Gpus} GPU(s): step {s.StepTimeS * 1e3:0.0} ms = {s.Explanation}; " +
            $"1 GPU: {one.TokensPerSecond:0} tokens/s; efficiency = {s.TokensPerSecond:0} / ({Gpus} x {one.TokensPerSecond:0}) = {Efficiency:P1}")
        : WhyUnknown ?? "unknown";
}
