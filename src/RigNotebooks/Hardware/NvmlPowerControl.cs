using System.Globalization;
using RigNotebooks.Errors;
using RigNotebooks.Model;
using RigNotebooks.Power;

namespace RigNotebooks.Hardware;

/// <summary>The local rig's power limits through NVML: constraints, default and current limit; setting needs root and
/// lasts until a reboot or driver reload (REFERENCE.md §2). Only <see cref="PowerLimitGuard"/> sets limits.</summary>
internal sealed class NvmlPowerControl(LocalRig rig) : IPowerLimitControl
{
    public int GpuCount => rig.Describe().Gpus.Count;

    /// <summary>Set (to anything) to forbid power-limit changes in this process, whatever its privileges: the GPU check
    /// sets it so that even a mistyped sweep there cannot change a limit on a machine that is not ours.</summary>
    public const string ReadOnlyVariable = "RIG_READ_ONLY";

    public string? WhyCannotSet =>
        Environment.GetEnvironmentVariable(ReadOnlyVariable) is { Length: > 0 }
            ? $"{ReadOnlyVariable} is set: this process may not change power limits"
            : LocalRig.IsRoot() ? null : "Not running as root";

    public PowerLimits GetLimits(int gpu) => rig.NvmlDevice(gpu).PowerLimits();

    public void SetLimitW(int gpu, double watts)
    {
        var limits = GetLimits(gpu);
        if (!limits.Allows(watts))
        {
            throw new RigInputException(string.Create(CultureInfo.InvariantCulture,
                $"{watts:0.#} W is outside GPU {gpu}'s power-limit range {limits.MinW:0.#}–{limits.MaxW:0.#} W (NVML constraints); refused."));
        }

        try
        {
            rig.NvmlDevice(gpu).SetPowerLimitW(watts);
        }
        catch (GpuNoPermissionException ex)
        {
            throw new PowerLimitPermissionException($"NVML refused to set GPU {gpu}'s power limit ({ex.ShortReason})", ex);
        }
    }
}
