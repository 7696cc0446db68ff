using System.Globalization;
using RigNotebooks.Results;

namespace RigNotebooks.Telemetry;

/// <summary>
/// Telemetry read back from a run's rows (a monitor run, a sweep, a capture committed under data/captures): the samples
/// as they were taken, so windows, energy and charts can be computed again from real data without the hardware.
/// </summary>
public static class TelemetryReplay
{
    /// <summary>The samples of every GPU in the rows, ordered by time; metrics a row set lacks stay null.</summary>
    public static IReadOnlyList<GpuSample> Samples(IEnumerable<ResultRow> rows)
    {
        var byKey = new Dictionary<(int Gpu, double T), Dictionary<string, double>>();
        foreach (var row in rows)
        {
            if (row.Case != TelemetryRows.Case || row.Status != RowStatus.Ok || row.Gpu is not { } gpu
                || !double.TryParse(row.Parameter("t_s"), NumberStyles.Float, CultureInfo.InvariantCulture, out var t))
            {
                continue;
            }

            if (!byKey.TryGetValue((gpu, t), out var metrics))
            {
                byKey[(gpu, t)] = metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            }

            metrics[row.Metric] = row.Value;
        }

        return byKey.OrderBy(k => k.Key.T).ThenBy(k => k.Key.Gpu).Select(k =>
        {
            double? M(string name) => k.Value.TryGetValue(name, out var v) ? v : null;
            return new GpuSample(k.Key.T, k.Key.Gpu, new GpuReading(
                M("power"), M("power_instant"), M("energy"), M("core_temp"), M("vram_temp"), M("sm_clock"), M("mem_clock"),
                M("util_gpu"), M("util_mem"), M("fan"), M("clock_event_reasons") is { } bits ? (ulong)bits : null, M("pcie_tx"), M("pcie_rx")));
        }).ToList();
    }

    /// <summary>Window statistics per GPU over [<paramref name="startS"/>, <paramref name="endS"/>] of the replayed samples
    /// (the whole recording when not given).</summary>
    public static TelemetryWindowReport Window(IReadOnlyList<GpuSample> samples, string name, double? startS = null, double? endS = null)
    {
        if (samples.Count == 0)
        {
            return new TelemetryWindowReport(name, 0, 0, []);
        }

        var from = startS ?? samples.Min(s => s.TimeS);
        var to = endS ?? samples.Max(s => s.TimeS);
        var gpus = samples.Select(s => s.Gpu).Distinct().Order().ToList();
        return new TelemetryWindowReport(name, from, to, gpus.Select(g =>
            TelemetryStatistics.Of(g, samples.Where(s => s.Gpu == g && s.TimeS >= from && s.TimeS <= to).ToList(), from, to)).ToList());
    }
}
