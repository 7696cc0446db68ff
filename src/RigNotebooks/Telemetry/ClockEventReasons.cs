namespace RigNotebooks.Telemetry;

/// <summary>The clock-event (throttle) reasons NVML reports through <c>nvmlDeviceGetCurrentClocksEventReasons</c>
/// (REFERENCE.md §2, NVML headers). Only the bits that mean "the card was slowed down" are named here.</summary>
[Flags]
public enum ClockEventReasons : ulong
{
    None = 0,

    /// <summary>0x4: the software power cap (the power limit) holds the clocks down.</summary>
    SwPowerCap = 0x4,

    /// <summary>0x8: hardware slowdown (temperature or power brake assertion from the board).</summary>
    HwSlowdown = 0x8,

    /// <summary>0x20: software thermal slowdown (the driver's temperature target).</summary>
    SwThermalSlowdown = 0x20,

    /// <summary>0x40: hardware thermal slowdown (the chip is too hot).</summary>
    HwThermalSlowdown = 0x40,

    /// <summary>0x80: hardware power-brake slowdown (the external power-brake signal, e.g. from the PSU).</summary>
    HwPowerBrakeSlowdown = 0x80,
}

public static class ClockEventReasonsText
{
    /// <summary>The reasons that mean the GPU ran slower than it would have otherwise.</summary>
    public const ClockEventReasons Throttling =
        ClockEventReasons.SwPowerCap | ClockEventReasons.HwSlowdown | ClockEventReasons.SwThermalSlowdown
        | ClockEventReasons.HwThermalSlowdown | ClockEventReasons.HwPowerBrakeSlowdown;

    private static readonly (ClockEventReasons Bit, string Name)[] Names =
    [
        (ClockEventReasons.SwPowerCap, "sw_power_cap"),
        (ClockEventReasons.HwSlowdown, "hw_slowdown"),
        (ClockEventReasons.SwThermalSlowdown, "sw_thermal"),
        (ClockEventReasons.HwThermalSlowdown, "hw_thermal"),
        (ClockEventReasons.HwPowerBrakeSlowdown, "power_brake"),
    ];

    public static bool IsThrottled(ulong mask) => (mask & (ulong)Throttling) != 0;

    /// <summary>The named reasons in a mask, e.g. <c>sw_power_cap, hw_thermal</c>; other set bits are ignored.</summary>
    public static IReadOnlyList<string> Decode(ulong mask) =>
        Names.Where(n => (mask & (ulong)n.Bit) != 0).Select(n => n.Name).ToList();

    /// <summary>Each named reason, for tables and findings.</summary>
    public static IReadOnlyList<(ClockEventReasons Bit, string Name)> All => Names;

    public static string Describe(ClockEventReasons bit) => bit switch
    {
        ClockEventReasons.SwPowerCap => "software power cap (the power limit)",
        ClockEventReasons.HwSlowdown => "hardware slowdown",
        ClockEventReasons.SwThermalSlowdown => "software thermal slowdown",
        ClockEventReasons.HwThermalSlowdown => "hardware thermal slowdown",
        ClockEventReasons.HwPowerBrakeSlowdown => "power brake",
        _ => bit.ToString(),
    };
}
