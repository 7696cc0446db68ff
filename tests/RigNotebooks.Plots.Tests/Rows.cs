using RigNotebooks.Model;
using RigNotebooks.Results;

namespace RigNotebooks.Plots.Tests;

/// <summary>Hand-made rows that follow docs/ROWS.md, so chart tests do not wait for the experiments.</summary>
internal static class Rows
{
    public static ResultRow Ok(string experiment, string @case, string metric, double value, string unit, int? gpu = null, int? peer = null,
        DataSource source = DataSource.Simulated, params (string Key, string Value)[] parameters) =>
        ResultRow.Ok(experiment, @case, gpu, peer, metric, value, unit, source, parameters.ToDictionary(p => p.Key, p => p.Value));

    public static ResultRow Not(RowStatus status, string experiment, string @case, string metric, string unit, string note, int? gpu = null, int? peer = null,
        DataSource source = DataSource.Simulated, params (string Key, string Value)[] parameters) =>
        ResultRow.NotMeasured(status, experiment, @case, gpu, peer, metric, unit, source, note, parameters.ToDictionary(p => p.Key, p => p.Value));

    /// <summary>DDP scaling on 1..3 GPUs, P2P on and off, with the 3-GPU P2P-on point hung (the driver-545 story).</summary>
    public static List<ResultRow> Scaling(bool hungAtThree = false)
    {
        var rows = new List<ResultRow>();
        foreach (var (p2p, perGpu) in new[] { ("on", new[] { 10000.0, 19000, 27500 }), ("off", new[] { 10000.0, 16000, 20000 }) })
        {
            for (var g = 1; g <= 3; g++)
            {
                if (hungAtThree && p2p == "on" && g == 3)
                {
                    rows.Add(Not(RowStatus.Hung, "train-scaling", "ddp", "tokens_per_s", "tokens/s", "hung after 60 s", parameters: [("gpus", "3"), ("p2p", p2p)]));
                    continue;
                }

                rows.Add(Ok("train-scaling", "ddp", "tokens_per_s", perGpu[g - 1], "tokens/s", parameters: [("gpus", g.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("p2p", p2p)]));
            }
        }

        return rows;
    }

    public static List<ResultRow> PowerSweep()
    {
        var rows = new List<ResultRow>();
        foreach (var cap in new[] { 200, 250, 285, 350 })
        {
            var p = (string Key, string Value)[] () => [("cap_w", cap.ToString(System.Globalization.CultureInfo.InvariantCulture))];
            var throughput = 1000 * Math.Pow(cap / 350.0, 0.35);
            var power = cap * 3 * 0.97;
            rows.Add(Ok("power-sweep", "cap", "throughput", throughput, "units/s", parameters: p()));
            rows.Add(Ok("power-sweep", "cap", "power", power, "W", parameters: p()));
            rows.Add(Ok("power-sweep", "cap", "energy_per_unit", power / throughput, "J", parameters: p()));
            for (var g = 0; g < 3; g++)
            {
                rows.Add(Ok("power-sweep", "cap", "power", cap * 0.97, "W", gpu: g, parameters: p()));
            }
        }

        return rows;
    }

    public static List<ResultRow> Telemetry()
    {
        var rows = new List<ResultRow>();
        for (var t = 0; t < 60; t += 2)
        {
            for (var g = 0; g < 3; g++)
            {
                var p = (string Key, string Value)[] () => [("t_s", t.ToString(System.Globalization.CultureInfo.InvariantCulture))];
                rows.Add(Ok("monitor", "telemetry", "power", 250 + g * 10 + t % 7, "W", gpu: g, parameters: p()));
                rows.Add(Ok("monitor", "telemetry", "core_temp", 50 + g * 5 + t / 3.0, "C", gpu: g, parameters: p()));
                rows.Add(Ok("monitor", "telemetry", "vram_temp", 80 + g * 8 + t / 2.0, "C", gpu: g, parameters: p()));
                rows.Add(Ok("monitor", "telemetry", "sm_clock", 1800 - (t > 40 && g == 2 ? 300 : 0), "MHz", gpu: g, parameters: p()));
                rows.Add(Ok("monitor", "telemetry", "clock_event_reasons", t > 40 && g == 2 ? 0x20 : 0x1, "count", gpu: g, parameters: p()));
            }
        }

        return rows;
    }

    /// <summary>3 GPUs, P2P on and off; pair 0→2 with P2P on hung, pair 1→2 with P2P on waived.</summary>
    public static List<ResultRow> Bandwidth()
    {
        var rows = new List<ResultRow>();
        foreach (var p2p in new[] { "on", "off" })
        {
            for (var s = 0; s < 3; s++)
            {
                for (var d = 0; d < 3; d++)
                {
                    if (s == d)
                    {
                        continue;
                    }

                    (string, string)[] Ps(long size) => [("p2p", p2p), ("size_bytes", size.ToString(System.Globalization.CultureInfo.InvariantCulture))];
                    if (p2p == "on" && s == 0 && d == 2)
                    {
                        rows.Add(Not(RowStatus.Hung, "bandwidth", "peer_unidirectional", "bandwidth", "GB/s", "hung after 10 s", s, d, parameters: Ps(1L << 28)));
                        continue;
                    }

                    if (p2p == "on" && s == 1 && d == 2)
                    {
                        rows.Add(Not(RowStatus.Waived, "bandwidth", "peer_unidirectional", "bandwidth", "GB/s", "no peer access", s, d, parameters: Ps(1L << 28)));
                        continue;
                    }

                    var bw = p2p == "on" ? 11.5 : 6.0;
                    rows.Add(Ok("bandwidth", "peer_unidirectional", "bandwidth", bw / 4, "GB/s", s, d, parameters: Ps(1L << 20)));
                    rows.Add(Ok("bandwidth", "peer_unidirectional", "bandwidth", bw, "GB/s", s, d, parameters: Ps(1L << 28)));
                    rows.Add(Ok("bandwidth", "peer_bidirectional", "bandwidth", bw * 1.7, "GB/s", s, d, parameters: Ps(1L << 28)));
                    rows.Add(Ok("bandwidth", "peer_latency", "latency", p2p == "on" ? 1.8 : 12, "us", s, d, parameters: [("p2p", p2p)]));
                }
            }
        }

        return rows;
    }

    public static List<ResultRow> AllReduce()
    {
        var rows = new List<ResultRow>();
        foreach (var p2p in new[] { "on", "off" })
        {
            for (var size = 1L << 10; size <= 1L << 28; size <<= 3)
            {
                (string, string)[] p = [("size_bytes", size.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("p2p", p2p), ("inplace", "false"), ("gpus", "3")];
                var bw = (p2p == "on" ? 10.0 : 5.0) * size / (size + 1e6);
                rows.Add(Ok("allreduce", "allreduce", "busbw", bw, "GB/s", parameters: p));
                rows.Add(Ok("allreduce", "allreduce", "wrong", p2p == "off" && size == 1L << 28 ? 3 : 0, "count", parameters: p));
            }
        }

        return rows;
    }

    /// <summary>Cost rows as the planner writes them: owning, and two rented offers (the <c>offer</c> parameter).</summary>
    public static List<ResultRow> Cost() =>
    [
        Ok("cost", "own", "eur_per_hour", 0.50, "EUR"),
        Ok("cost", "own", "electricity_eur_per_hour", 0.20, "EUR"),
        Ok("cost", "own", "eur_per_million_tokens", 2.0, "EUR"),
        Ok("cost", "rent", "eur_per_million_tokens", 4.5, "EUR", parameters: [("offer", "cloud-a-3090")]),
        Ok("cost", "rent", "breakeven_months", 14.2, "months", parameters: [("offer", "cloud-a-3090")]),
        Ok("cost", "rent", "eur_per_million_tokens", 3.1, "EUR", parameters: [("offer", "cloud-b-a100")]),
        Not(RowStatus.Waived, "cost", "rent", "breakeven_months", "months", "renting is cheaper", parameters: [("offer", "cloud-b-a100")]),
    ];
}
