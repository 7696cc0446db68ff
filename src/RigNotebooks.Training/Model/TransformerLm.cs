using RigNotebooks.Simulation.Physics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RigNotebooks.Training.Model;

/// <summary>
/// The reference model: a GPT-2-style decoder-only transformer language model. Pre-norm blocks (LayerNorm → causal
/// multi-head self-attention → residual; LayerNorm → GELU MLP → residual), learned position embeddings, a final
/// LayerNorm, and an output head tied to the token embedding. No dropout, so a step is a deterministic function of the
/// weights and the batch (the data-parallel equivalence test relies on it).
/// </summary>
public sealed class TransformerLm : nn.Module<Tensor, Tensor>
{
    private readonly Embedding tokens;
    private readonly Embedding positions;
    private readonly ModuleList<Block> blocks;
    private readonly LayerNorm finalNorm;
    private readonly Precision precision;

    public TransformerLm(TransformerShape config, Precision precision = Precision.Fp32)
        : base("TransformerLm")
    {
        config.Validate();
        Config = config;
        this.precision = precision;
        tokens = nn.Embedding(config.VocabSize, config.ModelDim);
        positions = nn.Embedding(config.SequenceLength, config.ModelDim);
        blocks = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(i => new Block($"block{i}", config, precision)).ToArray());
        finalNorm = nn.LayerNorm(config.ModelDim);
        RegisterComponents();
        InitializeWeights();
    }

    public TransformerShape Config { get; }

    /// <summary>Logits [batch, time, vocab] for token ids [batch, time].</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var time = input.shape[1];
        var positionIds = arange(time, dtype: ScalarType.Int64, device: input.device);
        var x = tokens.forward(input) + positions.forward(positionIds);
        foreach (var block in blocks)
        {
            x = block.forward(x);
        }

        x = finalNorm.forward(x);
        var logits = MixedPrecision.Linear(x, tokens.weight!, null, precision);
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>Mean next-token cross-entropy (nats per token) of a batch of sequences [batch, time + 1].</summary>
    public Tensor Loss(Tensor sequences)
    {
        using var scope = NewDisposeScope();
        var time = sequences.shape[1] - 1;
        var inputs = sequences.narrow(1, 0, time);
        var targets = sequences.narrow(1, 1, time);
        var logits = forward(inputs);
        var loss = nn.functional.cross_entropy(logits.reshape(-1, Config.VocabSize), targets.reshape(-1));
        return loss.MoveToOuterDisposeScope();
    }

    private void InitializeWeights()
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith("bias", StringComparison.Ordinal))
            {
                p.zero_();
            }
            else if (name.Contains("norm", StringComparison.OrdinalIgnoreCase))
            {
                p.fill_(1.0);
            }
            else
            {
                // GPT-2's init: N(0, 0.02), with the residual projections scaled down by depth.
                var std = name.EndsWith("proj.weight", StringComparison.Ordinal) ? 0.02 / Math.Sqrt(2.0 * Config.Layers) : 0.02;
                nn.init.normal_(p, 0.0, std);
            }
        }
    }

    private sealed class Block : nn.Module<Tensor, Tensor>
    {
        private readonly LayerNorm norm1;
        private readonly Linear qkv;
        private readonly Linear attn_proj;
        private readonly LayerNorm norm2;
        private readonly Linear mlp_up;
        private readonly Linear mlp_proj;
        private readonly TransformerShape config;
        private readonly Precision precision;

        public Block(string name, TransformerShape config, Precision precision)
            : base(name)
        {
            this.config = config;
            this.precision = precision;
            norm1 = nn.LayerNorm(config.ModelDim);
            qkv = nn.Linear(config.ModelDim, 3 * config.ModelDim);
            attn_proj = nn.Linear(config.ModelDim, config.ModelDim);
            norm2 = nn.LayerNorm(config.ModelDim);
            mlp_up = nn.Linear(config.ModelDim, config.MlpDim());
            mlp_proj = nn.Linear(config.MlpDim(), config.ModelDim);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            long batch = x.shape[0], time = x.shape[1];
            var h = norm1.forward(x);
            var qkvOut = MixedPrecision.Linear(h, qkv.weight!, qkv.bias, precision)
                .view(batch, time, 3, config.Heads, config.HeadDim())
                .permute(2, 0, 3, 1, 4); // [3, batch, heads, time, headDim]
            var q = MixedPrecision.ToCompute(qkvOut[0], precision);
            var k = MixedPrecision.ToCompute(qkvOut[1], precision);
            var v = MixedPrecision.ToCompute(qkvOut[2], precision);
            var attended = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true)
                .to_type(ScalarType.Float32)
                .transpose(1, 2)
                .reshape(batch, time, config.ModelDim);
            x = x + MixedPrecision.Linear(attended, attn_proj.weight!, attn_proj.bias, precision);
            var m = MixedPrecision.Linear(norm2.forward(x), mlp_up.weight!, mlp_up.bias, precision);
            x = x + MixedPrecision.Linear(nn.functional.gelu(m), mlp_proj.weight!, mlp_proj.bias, precision);
            return x.MoveToOuterDisposeScope();
        }
    }
}

/// <summary>The hand-written autocast of <see cref="Precision.Bf16Autocast"/>: matmul inputs in bf16, results in fp32.</summary>
internal static class MixedPrecision
{
    public static Tensor ToCompute(Tensor t, Precision precision) =>
        precision == Precision.Bf16Autocast ? t.to_type(ScalarType.BFloat16) : t;

    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias, Precision precision)
    {
        if (precision == Precision.Fp32)
        {
            return nn.functional.linear(input, weight, bias);
        }

        var output = nn.functional.linear(
            input.to_type(ScalarType.BFloat16),
            weight.to_type(ScalarType.BFloat16),
            bias?.to_type(ScalarType.BFloat16));
        return output.to_type(ScalarType.Float32);
    }
}
