using System.Text.Json;
using RigNotebooks.Data;
using RigNotebooks.Errors;
using RigNotebooks.Model;

namespace RigNotebooks.Captures;

/// <summary>
/// Reads the JSON that <c>rig topo --json</c> writes back into a <see cref="RigDescription"/>: platform, GPUs, the
/// relation matrix (nvidia-smi codes), the P2P matrix, bridges and unknowns. Fields the report does not carry (power
/// supplies, cooling, airflow order) come back empty. Errors name the file and the JSON path.
/// </summary>
public static class TopoReportReader
{
    public static RigDescription Read(string file, string rigId, DataSource source)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputFileException(file, "$", $"cannot read it: {ex.Message}", ex);
        }

        Report report;
        try
        {
            report = JsonSerializer.Deserialize<Report>(text, KitJson.Compact) ?? throw new InputFileException(file, "$", "the file holds null");
        }
        catch (JsonException ex)
        {
            throw new InputFileException(file, ex.Path ?? "$", ex.Message, ex);
        }

        var gpus = (report.Gpus ?? []).Select(g => new GpuInfo(
            g.Index, g.Name, g.Uuid, g.PciBusId, g.Architecture, g.MemoryBytes, g.PowerLimits, g.Link, g.UpstreamBridgeIds ?? [], g.NumaNode, null)).ToList();
        var relations = report.Relations ?? [];
        var p2p = report.P2P ?? [];
        if (relations.Count != gpus.Count || p2p.Count != gpus.Count)
        {
            throw new InputFileException(file, "$.relations", $"{gpus.Count} GPUs but {relations.Count} relation rows and {p2p.Count} P2P rows");
        }

        var pairs = new List<GpuPair>();
        for (var i = 0; i < gpus.Count; i++)
        {
            if (relations[i].Count != gpus.Count || p2p[i].Count != gpus.Count)
            {
                throw new InputFileException(file, $"$.relations[{i}]", $"expected {gpus.Count} columns");
            }

            for (var j = 0; j < gpus.Count; j++)
            {
                var relation = FromTopoCode(relations[i][j]) ?? throw new InputFileException(file, $"$.relations[{i}][{j}]", $"'{relations[i][j]}' is not an nvidia-smi topo code (X, NV, PIX, PXB, PHB, NODE, SYS)");
                pairs.Add(new GpuPair(gpus[i].Index, gpus[j].Index, relation, p2p[i][j]));
            }
        }

        var platform = report.Platform ?? throw new InputFileException(file, "$.platform", "missing");
        return new RigDescription(rigId, source, gpus, report.Bridges ?? [], pairs, platform, [], null, report.Unknowns ?? []);
    }

    /// <summary>The relation an nvidia-smi topo code names ("NV4" counts as NVLink), or null.</summary>
    public static GpuRelation? FromTopoCode(string code) => code switch
    {
        "X" => GpuRelation.Self,
        "PIX" => GpuRelation.SingleSwitch,
        "PXB" => GpuRelation.MultipleSwitches,
        "PHB" => GpuRelation.HostBridge,
        "NODE" => GpuRelation.SameNumaNode,
        "SYS" => GpuRelation.AcrossNumaNodes,
        _ when code.StartsWith("NV", StringComparison.Ordinal) => GpuRelation.NvLink,
        _ => null,
    };

    private sealed record Report(
        string? Rig,
        string? Source,
        PlatformInfo? Platform,
        IReadOnlyList<ReportGpu>? Gpus,
        IReadOnlyList<IReadOnlyList<string>>? Relations,
        IReadOnlyList<IReadOnlyList<P2PCapability>>? P2P,
        IReadOnlyList<PcieBridge>? Bridges,
        IReadOnlyList<UnknownFact>? Unknowns);

    private sealed record ReportGpu(
        int Index,
        string Name,
        string Uuid,
        string PciBusId,
        string Architecture,
        long MemoryBytes,
        int? NumaNode,
        PcieLink Link,
        PowerLimits PowerLimits,
        IReadOnlyList<string>? UpstreamBridgeIds);
}
