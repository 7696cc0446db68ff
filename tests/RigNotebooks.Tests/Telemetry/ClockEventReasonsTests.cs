using RigNotebooks.Telemetry;

namespace RigNotebooks.Tests.Telemetry;

public class ClockEventReasonsTests
{
    [Fact]
    public void Every_reason_nvml_names_is_decoded_and_only_power_heat_and_board_count_as_throttling()
    {
        // NVML's nvmlClocksEventReason* bits, 0x1 to 0x100.
        Assert.Equal(
            ["gpu_idle", "applications_clocks", "sw_power_cap", "hw_slowdown", "sync_boost", "sw_thermal", "hw_thermal", "power_brake", "display_clock"],
            ClockEventReasonsText.Decode(0x1FF));
        Assert.Equal([0x1UL, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100], ClockEventReasonsText.All.Select(r => (ulong)r.Bit));
        Assert.Empty(ClockEventReasonsText.Decode(0x200)); // a bit NVML has not named
        Assert.False(ClockEventReasonsText.IsThrottled(0x1 | 0x2 | 0x10 | 0x100));
        Assert.Equal(["sw_power_cap", "hw_slowdown", "sw_thermal", "hw_thermal", "power_brake"], ClockEventReasonsText.Slowdowns.Select(r => r.Name));
    }
}
