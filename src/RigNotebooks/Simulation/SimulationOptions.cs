namespace RigNotebooks.Simulation;

/// <summary>Knobs of the simulation: its seed and optional measurement noise (0 = exact model values).</summary>
public sealed record SimulationOptions(int Seed = 42, double NoiseFraction = 0.0)
{
    public static SimulationOptions Default { get; } = new();
}
