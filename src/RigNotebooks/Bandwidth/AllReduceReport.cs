using System.Globalization;
using RigNotebooks.Results;

namespace RigNotebooks.Bandwidth;

/// <summary>The rows of an all-reduce run as nccl-tests prints them: one line per size, P2P mode and placement, with
/// the average bus bandwidth per P2P mode (nccl-tests' "Avg bus bandwidth").</summary>
public sealed record AllReduceReport(int Ranks, IReadOnlyList<AllReduceLine> Lines, IReadOnlyDictionary<string, double> AverageBusBwGBps, IReadOnlyList<NotMeasuredCell> NotMeasured)
{
    public static AllReduceReport From(IReadOnlyList<ResultRow> rows)
    {
        var ar = rows.Where(r => r.Experiment == "allreduce").ToList();
        var lines = ar.Where(r => r.Status is RowStatus.Ok or RowStatus.Wrong)
            .GroupBy(r => (Size: r.Parameter("size_bytes") ?? "0", P2P: r.Parameter("p2p") ?? "on", InPlace: r.Parameter("inplace") == "true"))
            .Select(g => new AllReduceLine(
                long.Parse(g.Key.Size, CultureInfo.InvariantCulture),
                g.Key.P2P,
                g.Key.InPlace,
                Value(g, "time"),
                Value(g, "algbw"),
                Value(g, "busbw"),
                g.FirstOrDefault(r => r.Metric == "wrong") is { } w ? (long)w.Value : null))
            .OrderBy(l => l.P2p == "on" ? 0 : 1).ThenBy(l => l.SizeBytes).ThenBy(l => l.InPlace)
            .ToList();
        var averages = lines.Where(l => l.BusBwGBps is not null)
            .GroupBy(l => l.P2p)
            .ToDictionary(g => g.Key, g => g.Average(l => l.BusBwGBps!.Value));
        var ranks = ar.Select(r => int.TryParse(r.Parameter("gpus"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0).DefaultIfEmpty(0).Max();
        var notMeasured = ar.Where(r => r.Status is RowStatus.Waived or RowStatus.Hung or RowStatus.Failed)
            .Select(r => new NotMeasuredCell(r.Experiment, r.Case, r.Gpu, r.Peer, r.Parameter("p2p"), r.Status.ToString().ToLowerInvariant(), $"{r.Parameter("size_bytes")} B {(r.Parameter("inplace") == "true" ? "in-place" : "out-of-place")}: {r.Note}"))
            .ToList();
        return new AllReduceReport(ranks, lines, averages, notMeasured);
    }

    private static double? Value(IEnumerable<ResultRow> rows, string metric) =>
        rows.FirstOrDefault(r => r.Metric == metric) is { } row && double.IsFinite(row.Value) ? row.Value : null;
}

/// <summary>One nccl-tests line: size per rank, P2P mode, placement, mean time (us), algbw and busbw (GB/s), #wrong.</summary>
public sealed record AllReduceLine(long SizeBytes, string P2p, bool InPlace, double? TimeUs, double? AlgBwGBps, double? BusBwGBps, long? Wrong);
