namespace RigNotebooks.Interop.Nvml;

/// <summary>NVML entry points that older drivers lack, looked up at run time so the kit loads on any driver.
/// Each lookup falls back to the older name where one exists, or to 0 (absent).</summary>
internal static unsafe class NvmlOptional
{
    private static readonly Lazy<(nint Address, string Name)> ClockEventReasonsFn = new(() =>
        Find("nvmlDeviceGetCurrentClocksEventReasons") is var f and not 0
            ? (f, "nvmlDeviceGetCurrentClocksEventReasons")
            : (Find("nvmlDeviceGetCurrentClocksThrottleReasons"), "nvmlDeviceGetCurrentClocksThrottleReasons"));

    private static readonly Lazy<nint> ArchitectureFn = new(() => Find("nvmlDeviceGetArchitecture"));

    private static readonly Lazy<nint> GpuMaxLinkGenerationFn = new(() => Find("nvmlDeviceGetGpuMaxPcieLinkGeneration"));

    /// <summary><c>nvmlDeviceGetCurrentClocksEventReasons</c> (R535+), else the older <c>…ThrottleReasons</c>; 0 if neither.</summary>
    public static delegate* unmanaged<nint, ulong*, NvmlReturn> ClockEventReasons =>
        (delegate* unmanaged<nint, ulong*, NvmlReturn>)ClockEventReasonsFn.Value.Address;

    /// <summary>Which name <see cref="ClockEventReasons"/> resolved to, for error messages.</summary>
    public static string ClockEventReasonsName => ClockEventReasonsFn.Value.Name;

    /// <summary><c>nvmlDeviceGetArchitecture</c> (R470+); 0 if absent.</summary>
    public static delegate* unmanaged<nint, uint*, NvmlReturn> Architecture =>
        (delegate* unmanaged<nint, uint*, NvmlReturn>)ArchitectureFn.Value;

    /// <summary><c>nvmlDeviceGetGpuMaxPcieLinkGeneration</c>: the GPU's own maximum, regardless of the slot; 0 if absent.</summary>
    public static delegate* unmanaged<nint, uint*, NvmlReturn> GpuMaxPcieLinkGeneration =>
        (delegate* unmanaged<nint, uint*, NvmlReturn>)GpuMaxLinkGenerationFn.Value;

    private static nint Find(string name) => NativeLibraries.OptionalExport(GpuLibrary.Nvml, name);
}
