namespace RigNotebooks.Training.Model;

/// <summary>The shape of the reference decoder-only transformer: vocabulary, context, depth, width, heads.</summary>
/// <param name="MlpRatio">Hidden width of each MLP over the model width (4 as in GPT-2).</param>
public sealed record ModelConfig(string Name, int VocabSize, int ContextLength, int Layers, int Heads, int EmbedDim, int MlpRatio = 4)
{
    /// <summary>For tests on a 2-core CPU: ~30 k parameters, a step in milliseconds.</summary>
    public static ModelConfig Tiny { get; } = new("tiny", VocabSize: 64, ContextLength: 32, Layers: 2, Heads: 2, EmbedDim: 32);

    /// <summary>CPU benchmarks and `rig train --rig cpu`: ~0.9 M parameters.</summary>
    public static ModelConfig Small { get; } = new("small", VocabSize: 256, ContextLength: 64, Layers: 4, Heads: 4, EmbedDim: 128);

    /// <summary>A GPT-2-small-like model for GPUs (~92 M parameters with the tied head): the reference model of the
    /// scaling experiment.</summary>
    public static ModelConfig Reference { get; } = new("reference-100m", VocabSize: 8192, ContextLength: 512, Layers: 12, Heads: 12, EmbedDim: 768);

    public static IReadOnlyList<ModelConfig> Presets { get; } = [Tiny, Small, Reference];

    public int HeadDim => EmbedDim / Heads;

    public int MlpDim => EmbedDim * MlpRatio;

    /// <summary>Every trainable parameter of <see cref="TransformerLm"/> (token and position embeddings, blocks, final norm;
    /// the output head shares the token embedding's weight).</summary>
    public long ParameterCount
    {
        get
        {
            long d = EmbedDim, f = MlpDim;
            var perBlock = (2 * 2 * d) // two LayerNorms (weight + bias)
                + (d * 3 * d) + (3 * d) // fused q, k, v projection
                + (d * d) + d // attention output projection
                + (d * f) + f + (f * d) + d; // MLP
            return ((long)VocabSize * d) + ((long)ContextLength * d) + (Layers * perBlock) + (2 * d);
        }
    }

    /// <summary>Parameters that take part in matrix multiplies per token: the blocks' weight matrices plus the output
    /// head (V×D, tied with the embedding but still a matmul). Embedding lookups, norms and biases are left out.</summary>
    public long MatmulParameterCount => (Layers * ((4L * EmbedDim * EmbedDim) + (2L * EmbedDim * MlpDim))) + ((long)VocabSize * EmbedDim);

    /// <summary>
    /// Training FLOPs per token, forward + backward: 6·N + 12·L·D·T (Kaplan et al. 2020; the PaLM paper's appendix B).
    /// 6·N: each matmul parameter costs 2 FLOPs forward (multiply + add) and 4 backward (gradients for the input and for
    /// the weight), N = <see cref="MatmulParameterCount"/>. 12·L·D·T: per layer the attention scores Q·Kᵀ and the
    /// weighted sum A·V each cost 2·T·D forward per token (4·T·D together), times 3 for forward + backward. T is the
    /// sequence length. The causal mask would halve the attention term; like PaLM we count it whole, so this is the
    /// conventional "model FLOPs" figure used for MFU.
    /// </summary>
    public double TrainingFlopsPerToken(int? sequenceLength = null)
    {
        double t = sequenceLength ?? ContextLength;
        return (6.0 * MatmulParameterCount) + (12.0 * Layers * EmbedDim * t);
    }

    /// <summary>Bytes of gradient that data parallelism all-reduces each step (fp32 gradients: 4 bytes per parameter).</summary>
    public long GradientBytes(int bytesPerElement = 4) => ParameterCount * bytesPerElement;

    public static ModelConfig ByName(string name) =>
        Presets.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new Errors.RigInputException($"Unknown model '{name}'. Choose one of: {string.Join(", ", Presets.Select(p => p.Name))}.");

    public void Validate()
    {
        if (VocabSize < 2 || ContextLength < 2 || Layers < 1 || Heads < 1 || EmbedDim < 1 || MlpRatio < 1)
        {
            throw new Errors.RigInputException($"Model '{Name}': every size must be positive (vocab ≥ 2, context ≥ 2).");
        }

        if (EmbedDim % Heads != 0)
        {
            throw new Errors.RigInputException($"Model '{Name}': the width {EmbedDim} must be a multiple of the head count {Heads}.");
        }
    }
}
