using System.Runtime.InteropServices;

namespace RigNotebooks.Interop.Nvml;

/// <summary>The raw NVML entry points (nvml.h), source-generated with <c>[LibraryImport]</c>. Devices are opaque
/// <c>nvmlDevice_t</c> pointers owned by NVML (never freed by the caller). Strings are written into caller buffers;
/// <c>nvmlErrorString</c> returns a static string, so it is bound as a pointer. Call through <see cref="NvmlSession"/>
/// and <see cref="NvmlDevice"/>, which load the library, check every return code and convert units.</summary>
internal static unsafe partial class NvmlNative
{
    private const string Lib = GpuLibraryInfo.NvmlSoname;

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlInit_v2();

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlShutdown();

    /// <summary>Returns a static string: never free it.</summary>
    [LibraryImport(Lib)]
    internal static partial nint nvmlErrorString(NvmlReturn result);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlSystemGetDriverVersion(byte* version, uint length);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlSystemGetNVMLVersion(byte* version, uint length);

    /// <summary>The CUDA driver API version the driver provides, e.g. 12020 for 12.2.</summary>
    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlSystemGetCudaDriverVersion_v2(out int cudaDriverVersion);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetCount_v2(out uint deviceCount);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetHandleByIndex_v2(uint index, out nint device);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetName(nint device, byte* name, uint length);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetUUID(nint device, byte* uuid, uint length);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetSerial(nint device, byte* serial, uint length);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetVbiosVersion(nint device, byte* version, uint length);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetPciInfo_v3(nint device, out NvmlPciInfo pci);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetMemoryInfo(nint device, out NvmlMemory memory);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetCurrPcieLinkGeneration(nint device, out uint generation);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetCurrPcieLinkWidth(nint device, out uint width);

    /// <summary>The maximum generation of the link (the lesser of the GPU's and the slot's).</summary>
    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetMaxPcieLinkGeneration(nint device, out uint generation);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetMaxPcieLinkWidth(nint device, out uint width);

    /// <summary>PCIe throughput over a 20 ms window, KB/s.</summary>
    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetPcieThroughput(nint device, NvmlPcieCounter counter, out uint valueKBps);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetTopologyCommonAncestor(nint device1, nint device2, out NvmlTopologyLevel pathInfo);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetP2PStatus(nint device1, nint device2, NvmlP2PCapability index, out NvmlP2PStatus status);

    /// <summary>Board power, mW (a 1-second average on Ampere and newer).</summary>
    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetPowerUsage(nint device, out uint powerMw);

    /// <summary>Energy since the driver was loaded, mJ (Volta and newer).</summary>
    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetTotalEnergyConsumption(nint device, out ulong energyMj);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetPowerManagementLimit(nint device, out uint limitMw);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetPowerManagementDefaultLimit(nint device, out uint defaultLimitMw);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetPowerManagementLimitConstraints(nint device, out uint minLimitMw, out uint maxLimitMw);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetEnforcedPowerLimit(nint device, out uint limitMw);

    /// <summary>Needs root; not persistent across reboots or driver reloads.</summary>
    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceSetPowerManagementLimit(nint device, uint limitMw);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetTemperature(nint device, NvmlTemperatureSensor sensor, out uint temperatureC);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetFieldValues(nint device, int valuesCount, NvmlFieldValue* values);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetFanSpeed(nint device, out uint speedPercent);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetClockInfo(nint device, NvmlClockType type, out uint clockMHz);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetMaxClockInfo(nint device, NvmlClockType type, out uint clockMHz);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetUtilizationRates(nint device, out NvmlUtilization utilization);

    [LibraryImport(Lib)]
    internal static partial NvmlReturn nvmlDeviceGetPersistenceMode(nint device, out NvmlEnableState mode);
}
