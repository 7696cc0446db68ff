namespace RigNotebooks.Telemetry;

/// <summary>How a window's energy was obtained: the board's energy counter (the better integral, REFERENCE.md §2),
/// or power readings integrated over time (trapezoids) where the card has no counter.</summary>
public enum EnergyMethod
{
    /// <summary>No energy figure: the GPU reported neither a counter nor power.</summary>
    None,

    /// <summary>The difference of the board's energy counter between the window's first and last sample.</summary>
    Counter,

    /// <summary>Power readings integrated over the window (trapezoid rule).</summary>
    IntegratedPower,
}

/// <summary>What one named window measured: elapsed time and, per GPU, energy and temperature statistics.</summary>
public sealed record TelemetryWindowReport(string Name, double StartS, double EndS, IReadOnlyList<GpuWindowStatistics> Gpus)
{
    public double ElapsedS => EndS - StartS;

    /// <summary>Energy of all GPUs with a figure, joules.</summary>
    public double TotalEnergyJ => Gpus.Sum(g => g.EnergyJ ?? 0);

    public double TotalEnergyKWh => TotalEnergyJ / EnergyUnits.JoulesPerKWh;

    /// <summary>The method that produced the energy figures: one name if all GPUs agree, else "mixed".</summary>
    public string EnergyMethods => string.Join(",", Gpus.Select(g => g.EnergyMethod).Distinct().Select(m => m.ToString()));
}

/// <summary>One GPU over one window. Null where the GPU did not report the quantity.</summary>
/// <param name="SteadyCoreTempC">The mean over the last third of the window, where the card is closest to its steady state.</param>
/// <param name="ThrottledFraction">Fraction (0..1) of the window's samples with a slowdown reason set.</param>
/// <param name="ReasonsSeen">Every clock-event reason bit seen in the window, OR-ed.</param>
/// <param name="ReasonFractions">For each named clock-event reason seen (slowdowns and the others, e.g. <c>gpu_idle</c>), the fraction (0..1) of samples that had it.</param>
public sealed record GpuWindowStatistics(
    int Gpu,
    int SampleCount,
    double? EnergyJ,
    EnergyMethod EnergyMethod,
    double? AveragePowerW,
    double? PeakPowerW,
    double? PeakCoreTempC,
    double? SteadyCoreTempC,
    double? PeakVramTempC,
    double? SteadyVramTempC,
    double? MeanSmClockMHz,
    double? MeanMemClockMHz,
    double? ThrottledFraction,
    ulong ReasonsSeen,
    IReadOnlyDictionary<string, double> ReasonFractions);

public static class EnergyUnits
{
    public const double JoulesPerKWh = 3.6e6;

    /// <summary>Money for an amount of energy at a tariff (data/prices/electricity.json, or the user's own).</summary>
    public static double Cost(double energyJ, Planning.Cost.ElectricityTariff tariff) => energyJ / JoulesPerKWh * tariff.PricePerKWh;
}
