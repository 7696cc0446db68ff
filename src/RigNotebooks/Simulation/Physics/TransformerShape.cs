namespace RigNotebooks.Simulation.Physics;

/// <summary>The shape of the kit's reference decoder-only transformer, and the arithmetic that follows from it:
/// parameter count, training FLOPs per token and gradient bytes. Pure arithmetic, shared by the TorchSharp model
/// (which checks its real parameter count against it) and the simulated rig.</summary>
public sealed record TransformerShape(string Name, int Layers, int ModelDim, int Heads, int VocabSize, int SequenceLength)
{
    /// <summary>Sizes from tiny (CPU tests) to ~100 M parameters (GPUs).</summary>
    public static IReadOnlyList<TransformerShape> Presets { get; } =
    [
        new("tiny", 2, 64, 4, 64, 64),
        new("small", 4, 256, 4, 256, 128),
        new("medium", 8, 512, 8, 8192, 256),
        new("gpt-100m", 12, 768, 12, 32768, 512),
    ];

    public static TransformerShape Reference => Presets.Single(p => p.Name == "gpt-100m");

    public static TransformerShape Get(string name) =>
        Presets.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new Errors.RigInputException($"Unknown model size '{name}'. Known: {string.Join(", ", Presets.Select(p => p.Name))}.");

    /// <summary>Token embedding + learned positions + per layer (attention 4d² + 4d, MLP 8d² + 5d, two LayerNorms 4d)
    /// + final LayerNorm; the output head shares the embedding's weights.</summary>
    public long ParameterCount
    {
        get
        {
            long d = ModelDim;
            var perLayer = (12 * d * d) + (13 * d);
            return ((long)VocabSize * d) + ((long)SequenceLength * d) + (Layers * perLayer) + (2 * d);
        }
    }

    /// <summary>Training FLOPs per token: 6 per parameter (forward 2, backward 4; Kaplan et al. 2020, "Scaling laws
    /// for neural language models", §2.1) plus attention scores 6 · layers · sequence · d (forward 2·L·T·d ×3).</summary>
    public double TrainingFlopsPerToken => (6.0 * ParameterCount) + (6.0 * Layers * SequenceLength * ModelDim);

    /// <summary>Gradient bytes all-reduced per step, with fp32 gradients (DDP keeps gradients in fp32 under autocast).</summary>
    public long GradientBytes => ParameterCount * sizeof(float);
}
