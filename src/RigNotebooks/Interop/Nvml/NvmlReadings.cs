namespace RigNotebooks.Interop.Nvml;

/// <summary>A GPU's PCI identity as NVML reports it.</summary>
/// <param name="BusId">The sysfs spelling, e.g. "0000:0a:00.0" (NVML's own is <paramref name="NvmlBusId"/>).</param>
public sealed record NvmlPciIdentity(string BusId, string NvmlBusId, uint Domain, uint Bus, uint Device, ushort VendorId, ushort DeviceId, uint SubsystemId);

/// <summary>Device memory, bytes.</summary>
public sealed record GpuMemoryInfo(ulong TotalBytes, ulong FreeBytes, ulong UsedBytes);

/// <summary>Percent of the last sample period in which a kernel ran (<paramref name="GpuPercent"/>) or memory was read or written.</summary>
public sealed record GpuUtilization(uint GpuPercent, uint MemoryPercent);

/// <summary>The range a power limit may be set to, watts.</summary>
public sealed record PowerLimitRange(double MinW, double MaxW);

/// <summary>One answer from <c>nvmlDeviceGetFieldValues</c>: a value, or the per-field return code that says why not.</summary>
public sealed record NvmlFieldReading(uint FieldId, NvmlReturn Return, double Value, long TimestampUs)
{
    public bool Ok => Return == NvmlReturn.Success;
}
