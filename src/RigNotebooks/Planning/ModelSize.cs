using System.Globalization;
using RigNotebooks.Errors;
using RigNotebooks.Simulation.Physics;

namespace RigNotebooks.Planning;

/// <summary>
/// Turns the user's <c>--model</c> into a <see cref="TransformerShape"/>: a preset name (gpt-100m, …) or a parameter
/// count such as <c>350M</c>, <c>1.3B</c> or <c>125000000</c>. A count becomes a GPT-style decoder with the reference
/// model's vocabulary (32,768) and sequence (512), head size 64 and width 64 × layers (GPT-2 small's 768 = 64 × 12),
/// the layer count chosen so that the parameter count lands nearest the request; the shape's exact count is reported.
/// </summary>
public static class ModelSize
{
    public const long MinParameters = 1_000_000;
    public const long MaxParameters = 1_000_000_000_000;

    /// <summary>Enough layers for <see cref="MaxParameters"/>: the layers hold about 12 d² = 12 (64 L)² parameters each,
    /// so L³ ≈ N / 49,152 (1T: about 272 layers); one more so the search can land on either side.</summary>
    private static readonly int MaxLayers = (int)Math.Ceiling(Math.Cbrt(MaxParameters / (12.0 * 64 * 64))) + 1;

    public static TransformerShape Parse(string text)
    {
        var trimmed = text.Trim();
        if (TransformerShape.Presets.FirstOrDefault(p => string.Equals(p.Name, trimmed, StringComparison.OrdinalIgnoreCase)) is { } preset)
        {
            return preset;
        }

        var multiplier = char.ToUpperInvariant(trimmed.LastOrDefault()) switch
        {
            'K' => 1e3,
            'M' => 1e6,
            'B' or 'G' => 1e9,
            'T' => 1e12,
            _ => 1.0,
        };
        var number = multiplier == 1.0 ? trimmed : trimmed[..^1];
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new RigInputException(
                $"--model '{text}': not a known model ({string.Join(", ", TransformerShape.Presets.Select(p => p.Name))}) nor a parameter count like 350M, 1.3B or 125000000.");
        }

        var parameters = value * multiplier;
        if (parameters < MinParameters || parameters > MaxParameters)
        {
            throw new RigInputException($"--model '{text}': {parameters:G3} parameters is outside what the planner models ({MinParameters:G3} to {MaxParameters:G3}).");
        }

        return ForParameters((long)parameters, trimmed);
    }

    public static TransformerShape ForParameters(long parameters, string? label = null)
    {
        var reference = TransformerShape.Reference;
        var best = Enumerable.Range(1, MaxLayers)
            .Select(layers => new TransformerShape($"custom-{label ?? parameters.ToString(CultureInfo.InvariantCulture)}", layers, 64 * layers, layers, reference.VocabSize, reference.SequenceLength))
            .MinBy(s => Math.Abs(s.ParameterCount - parameters))!;
        return best;
    }
}
