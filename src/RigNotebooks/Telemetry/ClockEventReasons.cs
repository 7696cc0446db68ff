namespace RigNotebooks.Telemetry;

/// <summary>The clock-event reasons NVML reports through <c>nvmlDeviceGetCurrentClocksEventReasons</c> (REFERENCE.md §2,
/// NVML headers: <c>nvmlClocksEventReason*</c>, formerly <c>nvmlClocksThrottleReason*</c>). Some mean the card was slowed
/// down (<see cref="ClockEventReasonsText.Throttling"/>); the others say why the clocks are where they are without heat,
/// power or the board stepping in (idle, clocks set by the user or a sync-boost group).</summary>
[Flags]
public enum ClockEventReasons : ulong
{
    None = 0,

    /// <summary>0x1: nothing runs on the GPU and the clocks drop to idle.</summary>
    GpuIdle = 0x1,

    /// <summary>0x2: the clocks are limited by the applications-clocks setting (<c>nvidia-smi -ac</c>).</summary>
    ApplicationsClocksSetting = 0x2,

    /// <summary>0x4: the software power cap (the power limit) holds the clocks down.</summary>
    SwPowerCap = 0x4,

    /// <summary>0x8: hardware slowdown (temperature or power brake assertion from the board).</summary>
    HwSlowdown = 0x8,

    /// <summary>0x10: the GPU is in a sync-boost group and runs at the group's lowest clocks.</summary>
    SyncBoost = 0x10,

    /// <summary>0x20: software thermal slowdown (the driver's temperature target).</summary>
    SwThermalSlowdown = 0x20,

    /// <summary>0x40: hardware thermal slowdown (the chip is too hot).</summary>
    HwThermalSlowdown = 0x40,

    /// <summary>0x80: hardware power-brake slowdown (the external power-brake signal, e.g. from the PSU).</summary>
    HwPowerBrakeSlowdown = 0x80,

    /// <summary>0x100: the clocks follow the display clock setting.</summary>
    DisplayClockSetting = 0x100,
}

public static class ClockEventReasonsText
{
    /// <summary>The reasons that mean the GPU ran slower than it would have otherwise (power, heat, the board).</summary>
    public const ClockEventReasons Throttling =
        ClockEventReasons.SwPowerCap | ClockEventReasons.HwSlowdown | ClockEventReasons.SwThermalSlowdown
        | ClockEventReasons.HwThermalSlowdown | ClockEventReasons.HwPowerBrakeSlowdown;

    private static readonly (ClockEventReasons Bit, string Name)[] Names =
    [
        (ClockEventReasons.GpuIdle, "gpu_idle"),
        (ClockEventReasons.ApplicationsClocksSetting, "applications_clocks"),
        (ClockEventReasons.SwPowerCap, "sw_power_cap"),
        (ClockEventReasons.HwSlowdown, "hw_slowdown"),
        (ClockEventReasons.SyncBoost, "sync_boost"),
        (ClockEventReasons.SwThermalSlowdown, "sw_thermal"),
        (ClockEventReasons.HwThermalSlowdown, "hw_thermal"),
        (ClockEventReasons.HwPowerBrakeSlowdown, "power_brake"),
        (ClockEventReasons.DisplayClockSetting, "display_clock"),
    ];

    public static bool IsThrottled(ulong mask) => (mask & (ulong)Throttling) != 0;

    /// <summary>The named reasons in a mask, e.g. <c>sw_power_cap, hw_thermal</c>; bits NVML has not named are ignored.</summary>
    public static IReadOnlyList<string> Decode(ulong mask) =>
        Names.Where(n => (mask & (ulong)n.Bit) != 0).Select(n => n.Name).ToList();

    /// <summary>Each named reason, for tables.</summary>
    public static IReadOnlyList<(ClockEventReasons Bit, string Name)> All => Names;

    /// <summary>The named reasons that are slowdowns (<see cref="Throttling"/>), for findings.</summary>
    public static IReadOnlyList<(ClockEventReasons Bit, string Name)> Slowdowns { get; } =
        Names.Where(n => (n.Bit & Throttling) != 0).ToArray();

    public static string Describe(ClockEventReasons bit) => bit switch
    {
        ClockEventReasons.GpuIdle => "GPU idle",
        ClockEventReasons.ApplicationsClocksSetting => "applications clocks setting",
        ClockEventReasons.SwPowerCap => "software power cap (the power limit)",
        ClockEventReasons.HwSlowdown => "hardware slowdown",
        ClockEventReasons.SyncBoost => "sync boost",
        ClockEventReasons.SwThermalSlowdown => "software thermal slowdown",
        ClockEventReasons.HwThermalSlowdown => "hardware thermal slowdown",
        ClockEventReasons.HwPowerBrakeSlowdown => "power brake",
        ClockEventReasons.DisplayClockSetting => "display clock setting",
        _ => bit.ToString(),
    };
}
