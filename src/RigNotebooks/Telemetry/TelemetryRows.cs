using System.Globalization;
using RigNotebooks.Model;
using RigNotebooks.Results;

namespace RigNotebooks.Telemetry;

/// <summary>Turns samples into the <c>telemetry</c> rows of docs/ROWS.md: one row per reported metric, <c>t_s</c> in the params.</summary>
public static class TelemetryRows
{
    public const string Case = "telemetry";

    /// <summary>Each metric: its row name, unit, and how to read it from a reading.</summary>
    public static IReadOnlyList<(string Metric, string Unit, Func<GpuReading, double?> Read)> Metrics { get; } =
    [
        ("power", "W", r => r.PowerW),
        ("power_instant", "W", r => r.PowerInstantW),
        ("energy", "J", r => r.EnergyJ),
        ("core_temp", "C", r => r.CoreTempC),
        ("vram_temp", "C", r => r.VramTempC),
        ("sm_clock", "MHz", r => r.SmClockMHz),
        ("mem_clock", "MHz", r => r.MemClockMHz),
        ("util_gpu", "%", r => r.UtilGpuPct),
        ("util_mem", "%", r => r.UtilMemPct),
        ("fan", "%", r => r.FanPct),
        ("clock_event_reasons", "count", r => r.ClockEventReasons is { } m ? m : null),
        ("pcie_tx", "GB/s", r => r.PcieTxGBps),
        ("pcie_rx", "GB/s", r => r.PcieRxGBps),
    ];

    /// <summary>The rows of one sample: only the metrics the GPU reported (see <see cref="Unsupported"/> for the rest).</summary>
    public static void Append(
        List<ResultRow> into,
        string experiment,
        DateTimeOffset timeUtc,
        GpuSample sample,
        DataSource source,
        IReadOnlyDictionary<string, string> extraParameters)
    {
        var parameters = new Dictionary<string, string>(extraParameters.Count + 1, StringComparer.Ordinal)
        {
            ["t_s"] = FormatSeconds(sample.TimeS),
        };
        foreach (var (k, v) in extraParameters)
        {
            parameters[k] = v;
        }

        foreach (var (metric, unit, read) in Metrics)
        {
            if (read(sample.Reading) is { } value)
            {
                into.Add(new ResultRow(timeUtc, experiment, Case, sample.Gpu, null, metric, value, unit, RowStatus.Ok, source, parameters, null));
            }
        }
    }

    /// <summary>A waived row for each metric a GPU does not report, written once so a missing sensor is never a silent gap.</summary>
    public static IEnumerable<ResultRow> Unsupported(string experiment, GpuSample first, DataSource source) =>
        Metrics.Where(m => m.Read(first.Reading) is null).Select(m => ResultRow.NotMeasured(
            RowStatus.Waived, experiment, Case, first.Gpu, null, m.Metric, m.Unit, source,
            $"{m.Metric} is not reported by this GPU or driver"));

    public static string FormatSeconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);
}
