using RigNotebooks.Results;

namespace RigNotebooks.Bandwidth;

/// <summary>
/// The rows of a bandwidth run arranged the way nvbandwidth and p2pBandwidthLatencyTest print them: host copies per
/// GPU, and GPU×GPU matrices (row = source, column = destination) of unidirectional and bidirectional bandwidth and
/// latency, P2P on and off. Cells that were not measured are null; <see cref="NotMeasured"/> says why.
/// </summary>
public sealed record BandwidthReport(
    IReadOnlyList<HostCopyResult> Host,
    PeerMatrices Unidirectional,
    PeerMatrices Bidirectional,
    PeerMatrices Latency,
    IReadOnlyList<PeerCheckSummary> Correctness,
    IReadOnlyList<NotMeasuredCell> NotMeasured)
{
    public static BandwidthReport From(IReadOnlyList<ResultRow> rows, int gpuCount)
    {
        var bw = rows.Where(r => r.Experiment == "bandwidth").ToList();
        var host = bw.Where(r => r.Case is "host_to_device_pinned" or "device_to_host_pinned" or "host_to_device_pageable" or "device_to_host_pageable" or "device_local_copy")
            .Where(r => r.Gpu is not null && r.Status == RowStatus.Ok)
            .GroupBy(r => (r.Case, Gpu: r.Gpu!.Value))
            .Select(g => new HostCopyResult(
                g.Key.Case,
                g.Key.Gpu,
                Value(g, "bandwidth"),
                Value(g, "bandwidth_min"),
                Value(g, "bandwidth_max"),
                (int?)Value(g, "link_gen"),
                (int?)Value(g, "link_width")))
            .ToList();
        var correctness = bw.Where(r => r is { Case: "peer_correctness", Metric: "mismatched_bytes" } && r.Status is RowStatus.Ok or RowStatus.Wrong)
            .Select(r => new PeerCheckSummary(
                r.Gpu ?? -1,
                r.Peer ?? -1,
                long.Parse(r.Parameter("size_bytes") ?? "0", System.Globalization.CultureInfo.InvariantCulture),
                (long)r.Value,
                (long?)bw.FirstOrDefault(o => o is { Case: "peer_correctness", Metric: "first_wrong_offset" } && o.Gpu == r.Gpu && o.Peer == r.Peer && o.Parameter("size_bytes") == r.Parameter("size_bytes"))?.Value))
            .ToList();
        var notMeasured = rows.Where(r => r.Status is RowStatus.Waived or RowStatus.Hung or RowStatus.Failed)
            .Select(r => new NotMeasuredCell(r.Experiment, r.Case, r.Gpu, r.Peer, r.Parameter("p2p"), r.Status.ToString().ToLowerInvariant(), r.Note ?? string.Empty))
            .ToList();
        return new BandwidthReport(
            host,
            PeerMatrices.From(bw, "peer_unidirectional", "bandwidth", gpuCount),
            PeerMatrices.From(bw, "peer_bidirectional", "bandwidth", gpuCount),
            PeerMatrices.From(bw, "peer_latency", "latency", gpuCount),
            correctness,
            notMeasured);
    }

    private static double? Value(IEnumerable<ResultRow> rows, string metric) =>
        rows.FirstOrDefault(r => r.Metric == metric) is { } row && double.IsFinite(row.Value) ? row.Value : null;
}

/// <summary>A host↔device or device-local copy on one GPU: median, min, max GB/s, and the link seen during the copies.</summary>
public sealed record HostCopyResult(string Case, int Gpu, double? BandwidthGBps, double? MinGBps, double? MaxGBps, int? LinkGen, int? LinkWidth);

/// <summary>One peer metric as two GPU×GPU matrices, P2P on and off: [source][destination], null where not measured.</summary>
public sealed record PeerMatrices(string Unit, IReadOnlyList<IReadOnlyList<double?>> P2pOn, IReadOnlyList<IReadOnlyList<double?>> P2pOff)
{
    public static PeerMatrices From(IReadOnlyList<ResultRow> rows, string @case, string metric, int gpuCount)
    {
        var unit = metric == "latency" ? "us" : "GB/s";
        return new PeerMatrices(unit, Matrix(rows, @case, metric, "on", gpuCount), Matrix(rows, @case, metric, "off", gpuCount));
    }

    private static List<IReadOnlyList<double?>> Matrix(IReadOnlyList<ResultRow> rows, string @case, string metric, string p2p, int n)
    {
        var cells = rows.Where(r => r.Case == @case && r.Metric == metric && r.Status == RowStatus.Ok && r.Parameter("p2p") == p2p && r.Gpu is not null && r.Peer is not null)
            .GroupBy(r => (r.Gpu!.Value, r.Peer!.Value))
            .ToDictionary(g => g.Key, g => g.Last().Value);
        return Enumerable.Range(0, n)
            .Select(i => (IReadOnlyList<double?>)Enumerable.Range(0, n).Select(j => cells.TryGetValue((i, j), out var v) ? v : (double?)null).ToList())
            .ToList();
    }
}

/// <summary>One peer data check: how many bytes of a copy of <paramref name="SizeBytes"/> came out wrong, and where the first was.</summary>
public sealed record PeerCheckSummary(int Gpu, int Peer, long SizeBytes, long MismatchedBytes, long? FirstWrongOffsetBytes);

/// <summary>A case (or matrix cell) that was not measured: waived, hung or failed, with the reason.</summary>
public sealed record NotMeasuredCell(string Experiment, string Case, int? Gpu, int? Peer, string? P2p, string Status, string Note);
