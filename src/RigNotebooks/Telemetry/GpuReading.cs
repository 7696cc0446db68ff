namespace RigNotebooks.Telemetry;

/// <summary>What one GPU reports at one instant. A field is null where the GPU or driver does not offer it
/// (memory temperature on most GeForce cards, the instantaneous power reading before Ampere, the energy counter before Volta).</summary>
/// <param name="PowerW">Board power, the driver's 1-second average on Ampere and newer (REFERENCE.md §2).</param>
/// <param name="PowerInstantW">The instantaneous board power where the driver offers it.</param>
/// <param name="EnergyJ">The board's energy counter since the driver loaded (a running total, not a delta).</param>
/// <param name="ClockEventReasons">The raw clock-event (throttle) reason bitmask; see <see cref="ClockEventReasons"/>.</param>
/// <param name="PcieTxGBps">PCIe throughput from the GPU, GB/s (1e9 bytes/s).</param>
public sealed record GpuReading(
    double? PowerW,
    double? PowerInstantW,
    double? EnergyJ,
    double? CoreTempC,
    double? VramTempC,
    double? SmClockMHz,
    double? MemClockMHz,
    double? UtilGpuPct,
    double? UtilMemPct,
    double? FanPct,
    ulong? ClockEventReasons,
    double? PcieTxGBps,
    double? PcieRxGBps)
{
    /// <summary>The power to integrate when there is no energy counter: the instantaneous reading if offered, else the average.</summary>
    public double? PowerForIntegrationW => PowerInstantW ?? PowerW;
}

/// <summary>One GPU's reading stamped with the sampler's monotonic time (seconds since the sampler started its clock).</summary>
public sealed record GpuSample(double TimeS, int Gpu, GpuReading Reading);
