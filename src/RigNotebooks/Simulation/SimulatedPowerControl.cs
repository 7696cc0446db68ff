using System.Globalization;
using System.Text.Json;
using RigNotebooks.Data;
using RigNotebooks.Errors;
using RigNotebooks.Model;
using RigNotebooks.Power;

namespace RigNotebooks.Simulation;

/// <summary>
/// The simulated rig's power limits: constraints from the GPU's datasheet entry, the starting limit from the profile.
/// Setting a limit changes only simulated state — never a real GPU. With <see cref="SimulationOptions.StateDirectory"/>
/// the limits are kept in a file there (written atomically on every change), so another process sees them: the
/// crash-and-restore path of the power guard is exercised end to end without a GPU.
/// </summary>
public sealed class SimulatedPowerControl : IPowerLimitControl
{
    private readonly object gate = new();
    private readonly PowerLimits[] constraints;
    private readonly double[] limitsW;

    public SimulatedPowerControl(SimulatedRig rig)
    {
        var gpus = rig.Describe().Gpus;
        constraints = gpus.Select(g => g.PowerLimits).ToArray();
        limitsW = gpus.Select(g => g.PowerLimits.CurrentW).ToArray();
        StateFile = rig.Options.StateDirectory is { } dir ? Path.Combine(dir, $"sim-{rig.Profile.Name}.power.json") : null;
        if (StateFile is not null && File.Exists(StateFile))
        {
            var saved = StrictJsonReader.Read<SavedLimits>(File.ReadAllText(StateFile), StateFile);
            if (saved.LimitsW.Count != limitsW.Length)
            {
                throw new InputFileException(StateFile, "$.limitsW", $"{saved.LimitsW.Count} limits for a rig of {limitsW.Length} GPUs");
            }

            saved.LimitsW.ToArray().CopyTo(limitsW, 0);
        }
    }

    /// <summary>The file the limits persist in, or null when they live in memory only.</summary>
    public string? StateFile { get; }

    public int GpuCount => limitsW.Length;

    public string? WhyCannotSet => null;

    /// <summary>Raised after a limit changes (the simulated state re-reads the caps).</summary>
    public event Action<int, double>? Changed;

    public PowerLimits GetLimits(int gpu)
    {
        lock (gate)
        {
            return constraints[gpu] with { CurrentW = limitsW[gpu] };
        }
    }

    /// <summary>The limit in force now, without allocating (read on every simulation step).</summary>
    public double LimitW(int gpu)
    {
        lock (gate)
        {
            return limitsW[gpu];
        }
    }

    public void SetLimitW(int gpu, double watts)
    {
        if (gpu < 0 || gpu >= limitsW.Length)
        {
            throw new RigInputException($"GPU {gpu} is not on this rig (it has {limitsW.Length}).");
        }

        var c = constraints[gpu];
        if (!c.Allows(watts))
        {
            throw new RigInputException(string.Create(CultureInfo.InvariantCulture,
                $"{watts:0.#} W is outside GPU {gpu}'s power-limit range {c.MinW:0.#}–{c.MaxW:0.#} W (simulated constraints); refused."));
        }

        lock (gate)
        {
            limitsW[gpu] = watts;
            if (StateFile is not null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(StateFile)!);
                var temp = StateFile + ".tmp";
                File.WriteAllText(temp, JsonSerializer.Serialize(new SavedLimits { LimitsW = limitsW.ToArray() }, KitJson.Indented));
                File.Move(temp, StateFile, overwrite: true);
            }
        }

        Changed?.Invoke(gpu, watts);
    }

    private sealed record SavedLimits
    {
        public required IReadOnlyList<double> LimitsW { get; init; }
    }
}
