using RigNotebooks.Errors;

namespace RigNotebooks.Power;

/// <summary>Setting a power limit needs root (NVML: <c>nvmlDeviceSetPowerManagementLimit</c>). Exit 3, with the exact remedy.</summary>
public sealed class PowerLimitPermissionException : RigEnvironmentException
{
    public const string Remedy =
        "Setting a power limit needs root (NVML nvmlDeviceSetPowerManagementLimit): run the same command with sudo " +
        "(e.g. `sudo rig power sweep ...`, as root), or add --dry-run to plan the sweep and measure only at the current cap without changing anything.";

    public PowerLimitPermissionException(string detail)
        : base($"{detail}. {Remedy}")
    {
        Detail = detail;
    }

    public PowerLimitPermissionException(string detail, Exception inner)
        : base($"{detail}. {Remedy}", inner)
    {
        Detail = detail;
    }

    public PowerLimitPermissionException()
        : base(Remedy)
    {
        Detail = string.Empty;
    }

    public string Detail { get; }
}
