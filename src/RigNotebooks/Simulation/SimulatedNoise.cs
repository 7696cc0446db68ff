using System.Security.Cryptography;
using System.Text;

namespace RigNotebooks.Simulation;

/// <summary>Seeded, deterministic measurement noise: the same seed and the same question give the same samples.
/// With <see cref="SimulationOptions.NoiseFraction"/> = 0 every factor is exactly 1.</summary>
internal sealed class SimulatedNoise
{
    private readonly Random random;
    private readonly double fraction;

    public SimulatedNoise(SimulationOptions options, string what)
    {
        fraction = options.NoiseFraction;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{options.Seed}/{what}"));
        random = new Random(BitConverter.ToInt32(hash, 0));
    }

    /// <summary>A factor uniformly within 1 ± the noise fraction.</summary>
    public double NextFactor() => fraction <= 0 ? 1.0 : 1.0 + (fraction * ((2 * random.NextDouble()) - 1));
}
