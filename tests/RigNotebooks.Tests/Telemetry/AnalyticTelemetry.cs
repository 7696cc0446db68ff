using RigNotebooks.Telemetry;

namespace RigNotebooks.Tests.Telemetry;

/// <summary>Sensors whose readings are functions of the clock's time: P(t) = 200 + 100·sin(2πt/10) W and its exact
/// integral as the energy counter, so window energy can be checked against calculus.</summary>
internal sealed class AnalyticTelemetry(IRigClock clock, int gpus, bool withCounter, bool withVram = true) : IGpuTelemetry
{
    public const double MeanW = 200;
    public const double AmplitudeW = 100;
    public const double PeriodS = 10;

    public int GpuCount => gpus;

    public static double PowerAt(double t) => MeanW + (AmplitudeW * Math.Sin(2 * Math.PI * t / PeriodS));

    /// <summary>∫₀ᵗ P(s) ds.</summary>
    public static double EnergyAt(double t) => (MeanW * t) + (AmplitudeW * PeriodS / (2 * Math.PI) * (1 - Math.Cos(2 * Math.PI * t / PeriodS)));

    public GpuReading Read(int gpu)
    {
        var t = clock.NowS;
        var scale = gpu + 1; // each GPU draws a multiple of the trace, so per-GPU figures differ
        return new GpuReading(
            PowerW: PowerAt(t) * scale,
            PowerInstantW: PowerAt(t) * scale,
            EnergyJ: withCounter ? 5000 + (EnergyAt(t) * scale) : null,
            CoreTempC: 40 + t,
            VramTempC: withVram ? 60 + t : null,
            SmClockMHz: 1500,
            MemClockMHz: 9751,
            UtilGpuPct: 100,
            UtilMemPct: 20,
            FanPct: 50,
            ClockEventReasons: t >= 10 ? (ulong)ClockEventReasons.SwPowerCap : 0,
            PcieTxGBps: 0.5,
            PcieRxGBps: 0.25);
    }
}
