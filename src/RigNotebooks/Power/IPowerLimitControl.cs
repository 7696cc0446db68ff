using RigNotebooks.Model;

namespace RigNotebooks.Power;

/// <summary>A rig capability: read each GPU's power-limit constraints and current limit, and set a limit.
/// Real rigs set through NVML (root only, not persistent across reboots or driver reloads); the simulated rig changes
/// only simulated state. Experiments never call <see cref="SetLimitW"/> directly: they go through <see cref="PowerLimitGuard"/>,
/// which journals the original limits first and always restores them.</summary>
public interface IPowerLimitControl
{
    int GpuCount { get; }

    /// <summary>Minimum, default and maximum limit (the NVML constraints) and the limit in force now, in watts.</summary>
    PowerLimits GetLimits(int gpu);

    /// <summary>Why this process cannot set limits (e.g. not root), or null when it can. Checked before any change.</summary>
    string? WhyCannotSet { get; }

    /// <summary>Sets one GPU's limit. Throws <see cref="PowerLimitPermissionException"/> without permission and
    /// <see cref="Errors.RigInputException"/> for a value outside the constraints.</summary>
    void SetLimitW(int gpu, double watts);
}
