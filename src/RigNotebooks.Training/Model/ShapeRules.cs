using RigNotebooks.Errors;
using RigNotebooks.Simulation.Physics;

namespace RigNotebooks.Training.Model;

/// <summary>What the TorchSharp model derives from the core's <see cref="TransformerShape"/> (the one place the
/// reference model's arithmetic — parameters, FLOPs per token, gradient bytes — lives, shared with the simulated rig).</summary>
public static class ShapeRules
{
    /// <summary>The MLP's hidden width over the model width (GPT-2's 4, which TransformerShape's count assumes).</summary>
    public const int MlpRatio = 4;

    /// <summary>A shape small enough for many tests on a 2-core CPU (~30 k parameters).</summary>
    public static TransformerShape Test { get; } = new("test", Layers: 2, ModelDim: 32, Heads: 2, VocabSize: 64, SequenceLength: 32);

    public static int HeadDim(this TransformerShape shape) => shape.ModelDim / shape.Heads;

    public static int MlpDim(this TransformerShape shape) => shape.ModelDim * MlpRatio;

    /// <summary>A preset by name, or the test shape.</summary>
    public static TransformerShape ByName(string name) =>
        string.Equals(name, Test.Name, StringComparison.OrdinalIgnoreCase) ? Test : TransformerShape.Get(name);

    public static void Validate(this TransformerShape shape)
    {
        if (shape.VocabSize < 2 || shape.SequenceLength < 2 || shape.Layers < 1 || shape.Heads < 1 || shape.ModelDim < 1)
        {
            throw new RigInputException($"Model '{shape.Name}': every size must be positive (vocabulary ≥ 2, sequence ≥ 2).");
        }

        if (shape.ModelDim % shape.Heads != 0)
        {
            throw new RigInputException($"Model '{shape.Name}': the width {shape.ModelDim} must be a multiple of the head count {shape.Heads}.");
        }
    }
}
