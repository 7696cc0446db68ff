namespace RigNotebooks.Simulation;

/// <summary>Knobs of the simulation: its seed, optional measurement noise (0 = exact model values), and where the
/// simulated rig keeps state that outlives a process (its power limits), so that a second process — `rig power restore`,
/// or a test — sees what the first one changed. Null: the state lives in memory and dies with the rig.</summary>
public sealed record SimulationOptions(int Seed = 42, double NoiseFraction = 0.0, string? StateDirectory = null)
{
    /// <summary>The environment variable that names the state folder (shared with the power-limit journal).</summary>
    public const string StateDirVariable = "RIG_STATE_DIR";

    public static SimulationOptions Default { get; } = new();

    /// <summary>The defaults, with <see cref="StateDirectory"/> from <c>$RIG_STATE_DIR</c> when set.</summary>
    public static SimulationOptions FromEnvironment() =>
        Environment.GetEnvironmentVariable(StateDirVariable) is { Length: > 0 } dir ? new(StateDirectory: Path.GetFullPath(dir)) : Default;
}
