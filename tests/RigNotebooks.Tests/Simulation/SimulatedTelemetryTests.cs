using RigNotebooks.Rigs;
using RigNotebooks.Telemetry;

namespace RigNotebooks.Tests.Simulation;

public class SimulatedTelemetryTests
{
    [Fact]
    public async Task A_simulated_3090_reports_its_memory_clock_and_an_idle_card_says_it_is_idle()
    {
        using var rig = TestRigs.Sim("blog-3x3090");
        var telemetry = rig.Get<IGpuTelemetry>().Require();
        var clock = rig.Get<IRigClock>().Require();
        var idle = telemetry.Read(0);
        Assert.Equal(9751, idle.MemClockMHz); // data/gpus.json: NVML's GDDR6X figure, 384 × 2 × 9751 / 8 = 936 GB/s
        Assert.Equal((ulong)ClockEventReasons.GpuIdle, idle.ClockEventReasons);

        await using var burn = rig.Get<RigNotebooks.Workloads.IWorkloadProvider>().Require().Create("burn");
        await burn.StartAsync(default);
        await clock.DelayAsync(2, default);
        var busy = telemetry.Read(0);
        Assert.Equal(9751, busy.MemClockMHz);
        Assert.Equal((ulong)ClockEventReasons.SwPowerCap, busy.ClockEventReasons);
        var spec = rig.ModelOf(0);
        Assert.Equal(spec.MemoryBandwidthGBps, 384 * 2 * spec.MemoryClockMHz!.Value / 8 / 1000, 0);
    }
}
