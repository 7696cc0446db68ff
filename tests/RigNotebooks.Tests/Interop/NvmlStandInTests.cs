using RigNotebooks.Errors;
using RigNotebooks.Interop;
using RigNotebooks.Interop.Nvml;
using RigNotebooks.Telemetry;
using RigNotebooks.Tests.Support;

namespace RigNotebooks.Tests.Interop;

/// <summary>Our NVML bindings against the stand-in libnvidia-ml (canned values): marshalling and error mapping only,
/// not evidence about GPUs.</summary>
[Collection(StandInCollection.Name)]
public sealed class NvmlStandInTests
{
    private readonly StandInLibraries standIn = StandInLibraries.Instance;

    [Fact]
    public void StandIn_sessions_are_reference_counted_one_init_and_one_shutdown()
    {
        var initsBefore = standIn.IntControl(GpuLibrary.Nvml, "standin_nvml_init_calls");
        var shutdownsBefore = standIn.IntControl(GpuLibrary.Nvml, "standin_nvml_shutdown_calls");
        using (var first = NvmlSession.Open())
        {
            using (var second = NvmlSession.Open())
            {
                Assert.Equal(2, NvmlSession.OpenCount);
            }

            Assert.Equal(1, standIn.IntControl(GpuLibrary.Nvml, "standin_nvml_initialized"));
            Assert.Equal(3, first.DeviceCount());
        }

        Assert.Equal(initsBefore + 1, standIn.IntControl(GpuLibrary.Nvml, "standin_nvml_init_calls"));
        Assert.Equal(shutdownsBefore + 1, standIn.IntControl(GpuLibrary.Nvml, "standin_nvml_shutdown_calls"));
        Assert.Equal(0, standIn.IntControl(GpuLibrary.Nvml, "standin_nvml_initialized"));
        Assert.Equal(0, NvmlSession.OpenCount);
    }

    [Fact]
    public unsafe void StandIn_failed_init_maps_to_not_found_with_the_native_message()
    {
        var force = (delegate* unmanaged<int, void>)standIn.Control(GpuLibrary.Nvml, "standin_nvml_force_init_result");
        force(9); // NVML_ERROR_DRIVER_NOT_LOADED
        try
        {
            var ex = Assert.Throws<GpuNotFoundException>(NvmlSession.Open);
            Assert.Equal("nvmlInit_v2", ex.Function);
            Assert.Equal("NVML_ERROR_DRIVER_NOT_LOADED", ex.CodeName);
            Assert.Equal("Driver Not Loaded", ex.NativeMessage);
            Assert.Contains("modprobe nvidia", ex.Message, StringComparison.Ordinal);
            Assert.IsAssignableFrom<RigEnvironmentException>(ex);
            Assert.Equal(0, NvmlSession.OpenCount);
        }
        finally
        {
            force(0);
        }
    }

    [Theory]
    [InlineData(18, "NVML_ERROR_LIB_RM_VERSION_MISMATCH", "Driver/library version mismatch")]
    [InlineData(25, "NVML_ERROR_ARGUMENT_VERSION_MISMATCH", "Argument version mismatch")]
    public unsafe void StandIn_init_reporting_a_version_mismatch_maps_to_driver_mismatch_with_the_native_message(int code, string codeName, string nativeMessage)
    {
        var force = (delegate* unmanaged<int, void>)standIn.Control(GpuLibrary.Nvml, "standin_nvml_force_init_result");
        force(code);
        try
        {
            var ex = Assert.Throws<GpuDriverMismatchException>(NvmlSession.Open);
            Assert.Equal(GpuErrorKind.DriverMismatch, ex.Kind);
            Assert.Equal("nvmlInit_v2", ex.Function);
            Assert.Equal(code, ex.Code);
            Assert.Equal(codeName, ex.CodeName);
            Assert.Equal(nativeMessage, ex.NativeMessage);
            Assert.StartsWith($"NVML: nvmlInit_v2 failed: {nativeMessage} ({codeName} = {code}).", ex.Message, StringComparison.Ordinal);
            Assert.Contains("after a driver update, reboot", ex.Message, StringComparison.Ordinal);
            Assert.Equal(0, NvmlSession.OpenCount);
        }
        finally
        {
            force(0);
        }
    }

    [Fact]
    public void StandIn_system_strings_and_versions_cross_the_boundary()
    {
        using var nvml = NvmlSession.Open();
        Assert.Equal("999.12.34", nvml.DriverVersion());
        Assert.Equal("12.999.12.34", nvml.NvmlVersion());
        Assert.Equal(12020, nvml.CudaDriverVersionCode());
        Assert.Equal("12.2", nvml.CudaDriverVersion());
    }

    [Fact]
    public void StandIn_identity_and_pci_info_v3_are_read_and_normalised()
    {
        using var nvml = NvmlSession.Open();
        var gpu = nvml.Device(1);
        Assert.Equal("Stand-in GPU 1", gpu.Name());
        Assert.Equal("GPU-00000000-0000-0000-0000-000000000001", gpu.Uuid());
        Assert.Equal("94.02.42.00.A9", gpu.VbiosVersion());
        var pci = gpu.PciInfo();
        Assert.Equal("00000000:0A:00.0", pci.NvmlBusId);
        Assert.Equal("0000:0a:00.0", pci.BusId);
        Assert.Equal(0x0Au, pci.Bus);
        Assert.Equal((ushort)0x10DE, pci.VendorId);
        Assert.Equal((ushort)0x2204, pci.DeviceId);
        Assert.Equal(0x403B1458u, pci.SubsystemId);
        Assert.Equal("Ampere", gpu.Architecture());
        var memory = gpu.Memory();
        Assert.Equal(25769803776UL, memory.TotalBytes);
        Assert.Equal(memory.TotalBytes, memory.FreeBytes + memory.UsedBytes);
    }

    [Fact]
    public void StandIn_not_supported_becomes_GpuNotSupportedException_with_nvmlErrorString()
    {
        using var nvml = NvmlSession.Open();
        var ex = Assert.Throws<GpuNotSupportedException>(() => nvml.Device(0).Serial());
        Assert.Equal("NVML", ex.Library);
        Assert.Equal("nvmlDeviceGetSerial", ex.Function);
        Assert.Equal(3, ex.Code);
        Assert.Equal("NVML_ERROR_NOT_SUPPORTED", ex.CodeName);
        Assert.Equal("Not Supported", ex.NativeMessage);
        Assert.Equal("nvmlDeviceGetSerial: Not Supported", ex.ShortReason);
    }

    [Fact]
    public void StandIn_invalid_index_maps_to_a_library_exception_naming_the_call()
    {
        using var nvml = NvmlSession.Open();
        var ex = Assert.Throws<GpuLibraryException>(() => nvml.Device(7));
        Assert.Equal(GpuErrorKind.InvalidUsage, ex.Kind); // an index the kit should have checked first
        Assert.Contains("not a fault of the rig", ex.Message, StringComparison.Ordinal);
        Assert.Equal("nvmlDeviceGetHandleByIndex_v2", ex.Function);
        Assert.Equal("Invalid Argument", ex.NativeMessage);
    }

    [Fact]
    public void StandIn_links_topology_and_p2p_status_use_the_header_enums()
    {
        using var nvml = NvmlSession.Open();
        var a = nvml.Device(0);
        var b = nvml.Device(1);
        var link = b.Link();
        Assert.Equal((1, 8, 3, 16), (link.CurrentGen, link.CurrentWidth, link.MaxGen, link.MaxWidth));
        Assert.Equal(NvmlTopologyLevel.HostBridge, a.CommonAncestor(b));
        Assert.Equal(NvmlP2PStatus.Ok, a.P2PStatus(b, NvmlP2PCapability.Read));
        Assert.Equal(NvmlP2PStatus.NotSupported, a.P2PStatus(b, NvmlP2PCapability.NvLink));
        Assert.Equal(NvmlP2PStatus.ChipsetNotSupported, a.P2PStatus(nvml.Device(2), NvmlP2PCapability.Write));
        Assert.Throws<GpuNotSupportedException>(() => a.CommonAncestor(nvml.Device(2)));
        Assert.Equal(1_000_000 * 1024.0 / 1e9, a.PcieThroughputGBps(NvmlPcieCounter.Tx), 9);
        Assert.Equal(2_000_000 * 1024.0 / 1e9, a.PcieThroughputGBps(NvmlPcieCounter.Rx), 9);
    }

    [Fact]
    public void StandIn_power_and_energy_convert_milliunits_to_watts_and_joules()
    {
        using var nvml = NvmlSession.Open();
        var gpu = nvml.Device(2);
        Assert.Equal(123.458, gpu.PowerUsageW(), 6);
        Assert.Equal(987654.321, gpu.TotalEnergyJ(), 6);
        var limits = gpu.PowerLimits();
        Assert.Equal((100.0, 350.0, 400.0, 285.0), (limits.MinW, limits.DefaultW, limits.MaxW, limits.CurrentW));
        Assert.Equal(284.0, gpu.EnforcedPowerLimitW());
    }

    [Fact]
    public void StandIn_setting_a_power_limit_sends_milliwatts_and_maps_no_permission()
    {
        using var nvml = NvmlSession.Open();
        nvml.Device(1).SetPowerLimitW(285.4);
        Assert.Equal(285400u, LastSetLimit());
        var ex = Assert.Throws<GpuNoPermissionException>(() => nvml.Device(0).SetPowerLimitW(250));
        Assert.Equal(250000u, LastSetLimit());
        Assert.Contains("root", ex.Message, StringComparison.Ordinal);
        Assert.Equal("Insufficient Permissions", ex.NativeMessage);
    }

    [Fact]
    public void StandIn_field_values_carry_per_field_return_codes_and_union_types()
    {
        using var nvml = NvmlSession.Open();
        Assert.Equal(84.0, nvml.Device(1).MemoryTemperatureC());
        var ex = Assert.Throws<GpuNotSupportedException>(() => nvml.Device(0).MemoryTemperatureC());
        Assert.Contains("NVML_FI_DEV_MEMORY_TEMP", ex.Function, StringComparison.Ordinal);

        var readings = nvml.Device(0).FieldValues(7777, 8888, 82);
        Assert.Equal([7777u, 8888u, 82u], readings.Select(r => r.FieldId));
        Assert.Equal(2.5, readings[0].Value);
        Assert.Equal(-42.0, readings[1].Value);
        Assert.False(readings[2].Ok);
        Assert.Equal(NvmlReturn.NotSupported, readings[2].Return);
        Assert.Equal(1700000000000001L, readings[1].TimestampUs);
    }

    [Fact]
    public void StandIn_clock_event_reasons_fall_back_to_the_older_throttle_name()
    {
        using var nvml = NvmlSession.Open();
        var reasons = nvml.Device(0).ClockEventReasons();
        Assert.Equal((ulong)(ClockEventReasons.SwPowerCap | ClockEventReasons.SwThermalSlowdown), reasons);
    }

    [Fact]
    public void StandIn_thermals_clocks_utilisation_and_persistence_are_read()
    {
        using var nvml = NvmlSession.Open();
        var gpu = nvml.Device(0);
        Assert.Equal(61.0, gpu.TemperatureC());
        Assert.Equal(42.0, gpu.FanSpeedPercent());
        Assert.Equal(1695.0, gpu.ClockMHz(NvmlClockType.Sm));
        Assert.Equal(9751.0, gpu.ClockMHz(NvmlClockType.Memory));
        Assert.Equal(2100.0, gpu.MaxClockMHz(NvmlClockType.Graphics));
        Assert.Equal(new GpuUtilization(97, 55), gpu.Utilization());
        Assert.True(gpu.PersistenceMode());
        Assert.False(nvml.Device(1).PersistenceMode());
    }

    [Fact]
    public void StandIn_a_disposed_session_refuses_queries()
    {
        var nvml = NvmlSession.Open();
        var gpu = nvml.Device(0);
        nvml.Dispose();
        Assert.Throws<ObjectDisposedException>(() => gpu.TemperatureC());
    }

    private unsafe uint LastSetLimit() =>
        ((delegate* unmanaged<uint>)standIn.Control(GpuLibrary.Nvml, "standin_nvml_last_set_limit_mw"))();
}
