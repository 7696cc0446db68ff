namespace RigNotebooks.Hardware;

/// <summary>Knobs of the local rig.</summary>
/// <param name="SystemRoot">Where the Linux probes read sysfs/procfs ("/" on the machine itself).</param>
/// <param name="VramFromDevMem">Opt in to reading the GDDR6X junction register through /dev/mem (root, no lockdown) where NVML has no memory temperature.</param>
public sealed record LocalRigOptions(string SystemRoot = "/", bool VramFromDevMem = false)
{
    /// <summary>Set to 1 to opt in to the /dev/mem VRAM junction reader.</summary>
    public const string VramDevMemVariable = "RIG_VRAM_DEVMEM";

    public static LocalRigOptions Default { get; } = new();

    public static LocalRigOptions FromEnvironment() =>
        new(VramFromDevMem: Environment.GetEnvironmentVariable(VramDevMemVariable) is "1" or "true" or "yes");
}
