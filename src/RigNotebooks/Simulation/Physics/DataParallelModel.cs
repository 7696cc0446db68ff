using System.Globalization;
using RigNotebooks.Data;
using RigNotebooks.Model;

namespace RigNotebooks.Simulation.Physics;

/// <summary>
/// Data-parallel training on the simulated rig: each GPU computes its micro-batch (the model's FLOPs at the GPU's
/// bf16 tensor rate × an assumed utilisation × its clock under the cap), then gradients are averaged by a bucketed
/// ring all-reduce of the model's real gradient bytes, partly hidden behind the backward pass.
/// </summary>
/// <remarks>
/// Assumptions (no published figure for this rig): model FLOPs utilisation 40 % of the dense bf16 tensor peak for
/// a ~100 M-parameter transformer; 30 % of the step bound by memory bandwidth (so it loses less to a cap);
/// the backward pass is 2/3 of compute (FLOPs ratio 4:2) and half of it can hide communication (NCCL kernels
/// share SMs and PCIe with the copies of the backward pass); 25 MB gradient buckets (PyTorch DDP's default),
/// whose last one is never hidden.
/// </remarks>
public sealed class DataParallelModel(SimulatedRig rig)
{
    public const double ModelFlopsUtilisation = 0.40;
    public const double MemoryBoundFraction = 0.30;
    public const double BackwardShareOfCompute = 2.0 / 3.0;
    public const double OverlappableShareOfBackward = 0.5;
    public const long BucketBytes = 25_000_000;

    private readonly InterconnectModel interconnect = new(rig);

    /// <param name="tokensPerGpu">Tokens each GPU processes per step (micro-batch × sequence length).</param>
    public DataParallelStep Step(TransformerShape model, int gpus, bool p2p, double tokensPerGpu)
    {
        var description = rig.Describe();
        if (gpus < 1 || gpus > description.Gpus.Count)
        {
            throw new Errors.RigInputException($"{rig.Id} has {description.Gpus.Count} GPU(s); cannot train on {gpus}.");
        }

        var ranks = Enumerable.Range(0, gpus).ToList();
        var compute = ranks.Max(g => ComputeTimeS(description.Gpus[g], model, tokensPerGpu));
        var exchange = Communication(model, ranks, p2p);
        var (comm, hangs, allReduceText) = (exchange.AllReduceS, exchange.Hangs, exchange.Explanation);
        var hidden = compute * BackwardShareOfCompute * OverlappableShareOfBackward;
        var exposed = ExposedS(compute, exchange);
        var step = compute + exposed;
        var tokens = tokensPerGpu * gpus;
        var explanation = string.Create(CultureInfo.InvariantCulture,
            $"compute {compute * 1e3:0.0} ms ({model.TrainingFlopsPerToken / 1e6:0} MFLOP/token x {tokensPerGpu:0} tokens at {ModelFlopsUtilisation:P0} of the bf16 peak, clock under the cap); " +
            $"all-reduce {comm * 1e3:0.0} ms, of which up to {hidden * 1e3:0.0} ms hides behind the backward pass; exposed {exposed * 1e3:0.0} ms; {allReduceText}");
        return new DataParallelStep(gpus, p2p, tokens, compute, comm, exposed, step, tokens / step, hangs, explanation);
    }

    /// <summary>The gradient exchange of a step on <paramref name="ranks"/>: the bucketed all-reduce's time, its last
    /// bucket (never hidden), whether it hangs on this rig. Independent of the clocks: the links set it.</summary>
    public GradientExchange Communication(TransformerShape model, IReadOnlyList<int> ranks, bool p2p)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(ranks);
        if (ranks.Count <= 1)
        {
            return new GradientExchange(ranks.Count, 0, 0, false, "one GPU: no gradient exchange");
        }

        var full = interconnect.AllReduce(ranks, model.GradientBytes, p2p);
        var bucket = interconnect.AllReduce(ranks, Math.Min(BucketBytes, model.GradientBytes), p2p);
        var buckets = Math.Ceiling((double)model.GradientBytes / BucketBytes);
        return new GradientExchange(
            ranks.Count,
            Math.Max(full.TimeUs, bucket.TimeUs * buckets) / 1e6,
            bucket.TimeUs / 1e6,
            full.Hangs,
            string.Create(CultureInfo.InvariantCulture, $"gradients {model.GradientBytes / 1e6:0} MB in {buckets:0} buckets: {full.Explanation}"));
    }

    /// <summary>The communication a step cannot hide: the all-reduce less what overlaps the backward pass of the slowest
    /// replica's <paramref name="computeS"/>, and never less than the last bucket.</summary>
    public static double ExposedS(double computeS, GradientExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var hidden = computeS * BackwardShareOfCompute * OverlappableShareOfBackward;
        return exchange.Ranks > 1 ? Math.Max(exchange.AllReduceS - hidden, exchange.LastBucketS) : 0;
    }

    /// <summary>One replica's forward and backward pass over <paramref name="tokens"/> at <paramref name="relativeThroughput"/>
    /// of its full-boost speed (<see cref="DvfsPoint.RelativeThroughput"/> with <see cref="MemoryBoundFraction"/>).</summary>
    public static double ComputeTimeS(GpuModelSpec spec, TransformerShape model, double tokens, double relativeThroughput)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(model);
        return model.TrainingFlopsPerToken * tokens / (spec.Bf16TensorTflops * 1e12 * ModelFlopsUtilisation * Math.Max(relativeThroughput, 1e-9));
    }

    /// <summary>One GPU's training step from its datasheet alone (no rig, no gradient exchange): what the step of a
    /// one-GPU rig of that model would be. The planner uses it for a rented GPU whose host it does not know.</summary>
    public static DataParallelStep SingleGpuStep(GpuModelSpec spec, double capW, TransformerShape model, double tokensPerGpu)
    {
        var compute = ComputeTimeS(spec, capW, model, tokensPerGpu);
        var explanation = string.Create(CultureInfo.InvariantCulture,
            $"compute {compute * 1e3:0.0} ms ({model.TrainingFlopsPerToken / 1e6:0} MFLOP/token x {tokensPerGpu:0} tokens at {ModelFlopsUtilisation:P0} of {spec.Name}'s {spec.Bf16TensorTflops:0} TFLOPS bf16 peak, {capW:0} W cap); one GPU: no gradient exchange");
        return new DataParallelStep(1, false, tokensPerGpu, compute, 0, 0, compute, tokensPerGpu / compute, false, explanation);
    }

    private double ComputeTimeS(GpuInfo gpu, TransformerShape model, double tokens) =>
        ComputeTimeS(rig.ModelOf(gpu.Index), gpu.PowerLimits.CurrentW, model, tokens);

    private static double ComputeTimeS(GpuModelSpec spec, double capW, TransformerShape model, double tokens) =>
        ComputeTimeS(spec, model, tokens, new DvfsModel(spec).At(capW, MemoryBoundFraction).RelativeThroughput);
}
