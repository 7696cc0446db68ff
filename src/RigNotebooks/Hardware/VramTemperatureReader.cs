using System.Globalization;
using RigNotebooks.Interop.Nvml;
using RigNotebooks.Probes;

namespace RigNotebooks.Hardware;

/// <summary>How a GPU's VRAM temperature can be read here, decided once.</summary>
public enum VramTemperatureSource
{
    /// <summary>NVML's <c>NVML_FI_DEV_MEMORY_TEMP</c> field (data-centre cards and some others).</summary>
    NvmlField,

    /// <summary>The GDDR6X junction register through BAR0 and /dev/mem (opt-in, root, no lockdown).</summary>
    DevMemRegister,

    /// <summary>Neither; <see cref="VramTemperaturePlan.Reason"/> says why.</summary>
    Unsupported,
}

/// <summary>The decision and its reason; for the register, the physical address to read.</summary>
public sealed record VramTemperaturePlan(VramTemperatureSource Source, string Reason, ulong PhysicalAddress = 0)
{
    /// <summary>
    /// Chooses the source: NVML when its memory-temperature field answers; else the register when the user opted in,
    /// the process is root, the kernel is not locked down, the GPU is a known GA102/AD10x and its BAR0 is known; else
    /// unsupported with the first reason that ruled the register out.
    /// </summary>
    public static VramTemperaturePlan Decide(Readout<double> nvmlField, bool devMemOptIn, bool isRoot, KernelLockdown lockdown, ushort pciDeviceId, ulong? bar0)
    {
        if (nvmlField.HasValue)
        {
            return new VramTemperaturePlan(VramTemperatureSource.NvmlField, "NVML memory temperature field (NVML_FI_DEV_MEMORY_TEMP)");
        }

        var nvmlWhy = $"NVML has no memory temperature here ({nvmlField.WhyNot})";
        if (!devMemOptIn)
        {
            return Unsupported($"{nvmlWhy}; the GDDR6X junction register reader is opt-in: set {LocalRigOptions.VramDevMemVariable}=1 and run as root");
        }

        if (!VramJunctionRegister.KnownDevices.TryGetValue(pciDeviceId, out var chip))
        {
            return Unsupported(string.Create(CultureInfo.InvariantCulture, $"{nvmlWhy}; PCI device 0x{pciDeviceId:x4} is not a GA102/AD10x with a known junction register"));
        }

        if (LockdownProbe.BlocksDevMem(lockdown))
        {
            return Unsupported($"{nvmlWhy}; kernel lockdown ({lockdown.ToString().ToLowerInvariant()}) blocks /dev/mem (often Secure Boot); the register reader refuses to try");
        }

        if (!isRoot)
        {
            return Unsupported($"{nvmlWhy}; reading the {chip} junction register through /dev/mem needs root");
        }

        if (bar0 is not { } bar || bar == 0)
        {
            return Unsupported($"{nvmlWhy}; BAR0 of the GPU is not readable from sysfs");
        }

        return new VramTemperaturePlan(
            VramTemperatureSource.DevMemRegister,
            string.Create(CultureInfo.InvariantCulture, $"{chip} GDDR6X junction register at BAR0 0x{bar:x} + 0x{VramJunctionRegister.Offset:x}"),
            bar + VramJunctionRegister.Offset);
    }

    private static VramTemperaturePlan Unsupported(string reason) => new(VramTemperatureSource.Unsupported, reason);
}

/// <summary>Reads one GPU's VRAM temperature by its plan.</summary>
public sealed class VramTemperatureReader
{
    private readonly NvmlDevice? nvml;
    private readonly IPhysicalMemory? memory;

    public VramTemperatureReader(VramTemperaturePlan plan, NvmlDevice? nvml, IPhysicalMemory? memory)
    {
        Plan = plan;
        this.nvml = nvml;
        this.memory = memory;
    }

    public VramTemperaturePlan Plan { get; }

    /// <summary>Plans and builds a reader for one GPU of a local machine.</summary>
    public static VramTemperatureReader For(NvmlDevice device, PciDevice? pci, LinuxHost host, LocalRigOptions options, bool isRoot)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        var field = Readout.Try(device.MemoryTemperatureC);
        var bar0 = pci is null ? null : Bar0(host.Root, pci);
        var plan = VramTemperaturePlan.Decide(field, options.VramFromDevMem, isRoot, host.Lockdown, pci?.DeviceId ?? 0, bar0);
        return new VramTemperatureReader(plan, device, plan.Source == VramTemperatureSource.DevMemRegister ? new DevMemPhysicalMemory() : null);
    }

    /// <summary>The temperature in °C, or why not. A register reading of 127 °C is reported as a wrong offset.</summary>
    public Readout<double> Read()
    {
        switch (Plan.Source)
        {
            case VramTemperatureSource.NvmlField when nvml is not null:
                return Readout.Try(nvml.MemoryTemperatureC);
            case VramTemperatureSource.DevMemRegister when memory is not null:
                var raw = memory.Read32(Plan.PhysicalAddress);
                return VramJunctionRegister.Decode(raw) is { } c
                    ? Readout<double>.Of(c)
                    : Readout<double>.Unavailable(string.Create(CultureInfo.InvariantCulture,
                        $"the junction register reads {VramJunctionRegister.WrongOffsetC} °C (raw 0x{raw:x8}): the offset is wrong for this card"));
            default:
                return Readout<double>.Unavailable(Plan.Reason);
        }
    }

    /// <summary>BAR0's physical address from sysfs <c>resource</c> (first line: "0x… start 0x… end 0x… flags").</summary>
    public static ulong? Bar0(SystemRoot root, PciDevice pci)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(pci);
        var first = root.ReadLine($"{pci.SysfsPath}/resource");
        var start = first?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (start is null)
        {
            return null;
        }

        var hex = start.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? start[2..] : start;
        return ulong.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v) && v != 0 ? v : null;
    }
}
