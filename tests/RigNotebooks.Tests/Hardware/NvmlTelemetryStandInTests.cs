using RigNotebooks.Errors;
using RigNotebooks.Hardware;
using RigNotebooks.Power;
using RigNotebooks.Rigs;
using RigNotebooks.Telemetry;
using RigNotebooks.Tests.Support;
using RigNotebooks.Workloads;

namespace RigNotebooks.Tests.Hardware;

/// <summary>The local rig's telemetry, power control and burn over the stand-in NVML and CUDA libraries (invented
/// values): our side of the marshalling, unit conversion and error mapping. Not evidence about GPUs.</summary>
[Collection(StandInCollection.Name)]
public sealed class NvmlTelemetryStandInTests
{
    private static LocalRig Open()
    {
        _ = StandInLibraries.Instance;
        return LocalRig.Open(RigOpenOptions.Default, new LocalRigOptions(RepoPaths.Fixture("sysfs-x399-3gpu")));
    }

    [Fact]
    public void StandIn_telemetry_reads_every_metric_in_kit_units_and_leaves_unsupported_ones_null()
    {
        using var rig = Open();
        var telemetry = rig.Get<IGpuTelemetry>().Require();
        Assert.Equal(3, telemetry.GpuCount);
        var r = telemetry.Read(1);
        Assert.Equal(123.457, r.PowerW!.Value, 9);          // 123457 mW
        Assert.Null(r.PowerInstantW);                         // NVML_FI_DEV_POWER_INSTANT: not supported by the stand-in
        Assert.Equal(987654.321, r.EnergyJ!.Value, 6);      // mJ
        Assert.Equal(62, r.CoreTempC);
        Assert.Equal(84, r.VramTempC);                        // NVML_FI_DEV_MEMORY_TEMP, GPU 1 only
        Assert.Equal(1695, r.SmClockMHz);
        Assert.Equal(9751, r.MemClockMHz);
        Assert.Equal(97, r.UtilGpuPct);
        Assert.Equal(55, r.UtilMemPct);
        Assert.Equal(42, r.FanPct);
        Assert.Equal(0x24UL, r.ClockEventReasons);           // through the older throttle-reasons name
        Assert.Equal(["sw_power_cap", "sw_thermal"], ClockEventReasonsText.Decode(r.ClockEventReasons!.Value));
        Assert.Null(telemetry.Read(0).VramTempC);             // no field and no opt-in register reader: unsupported, not zero
    }

    [Fact]
    public void StandIn_pcie_throughput_is_read_for_one_gpu_per_cycle_then_reused()
    {
        using var rig = Open();
        var telemetry = rig.Get<IGpuTelemetry>().Require();
        for (var cycle = 0; cycle < 3; cycle++)
        {
            for (var g = 0; g < 3; g++)
            {
                telemetry.Read(g);
            }
        }

        var r = telemetry.Read(2);
        Assert.Equal(1000000 * 1024.0 / 1e9, r.PcieTxGBps!.Value, 12);
        Assert.Equal(2000000 * 1024.0 / 1e9, r.PcieRxGBps!.Value, 12);
    }

    [Fact]
    public void StandIn_power_control_maps_no_permission_to_the_remedy_and_refuses_out_of_range()
    {
        using var rig = Open();
        var control = rig.Get<IPowerLimitControl>().Require();
        Assert.Equal(new Model.PowerLimits(100, 350, 400, 285), control.GetLimits(0));

        var denied = Assert.Throws<PowerLimitPermissionException>(() => control.SetLimitW(0, 250)); // the stand-in refuses GPU 0
        Assert.Contains("GPU 0", denied.Message);
        Assert.Contains("sudo", denied.Message);
        Assert.Contains("--dry-run", denied.Message);

        control.SetLimitW(1, 250);
        Assert.Throws<RigInputException>(() => control.SetLimitW(1, 450));
    }

    [Fact]
    public void StandIn_read_only_variable_forbids_changes_whatever_the_privileges()
    {
        using var rig = Open();
        var control = rig.Get<IPowerLimitControl>().Require();
        Environment.SetEnvironmentVariable("RIG_READ_ONLY", "1");
        try
        {
            Assert.Contains("RIG_READ_ONLY", control.WhyCannotSet);
        }
        finally
        {
            Environment.SetEnvironmentVariable("RIG_READ_ONLY", null);
        }
    }

    [Fact]
    public async Task StandIn_a_burn_whose_kernel_cannot_load_fails_to_start_with_the_drivers_message()
    {
        using var rig = Open();
        await using var burn = rig.Get<IWorkloadProvider>().Require().Create("burn", [0]);
        Assert.Equal("TFLOP", burn.Unit);
        var ex = await Assert.ThrowsAsync<RigEnvironmentException>(() => burn.StartAsync(default));
        Assert.Contains("GPU 0", ex.Message);
        Assert.Contains(burn.Findings, f => f.Code == "burn-failed");
        Assert.NotNull(burn.Failure);
    }

    [Fact]
    public void The_burn_counts_a_fixed_amount_of_work_per_launch()
    {
        // 82 SMs (RTX 3090) × 8 blocks × 256 threads × 16384 trips × 64 FLOP.
        Assert.Equal(82.0 * 8 * 256 * 16384 * 64, CudaBurnWorkload.FlopPerLaunch(82));
        Assert.Contains(".entry rig_fma_burn", BurnPtx.Source, StringComparison.Ordinal);
        Assert.Equal(32, BurnPtx.Source.Split("fma.rn.f32").Length - 1); // 8 groups of 4 FMAs per trip = 64 FLOP
    }
}
