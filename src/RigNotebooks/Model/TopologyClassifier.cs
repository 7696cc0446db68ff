namespace RigNotebooks.Model;

/// <summary>Derives the <c>nvidia-smi topo -m</c> relation of two GPUs from the PCIe bridges above them.</summary>
/// <remarks>Used by the simulated rig (bridges from the profile) and the local rig when NVML cannot tell
/// (bridges from sysfs). Rules, as nvidia-smi documents them: PIX = at most one switch between the GPUs;
/// PXB = several switches, no host bridge; PHB = through a host bridge; NODE = between host bridges of one
/// NUMA node; SYS = across NUMA nodes.</remarks>
public static class TopologyClassifier
{
    public static GpuRelation Classify(GpuInfo a, GpuInfo b, IReadOnlyList<PcieBridge> bridges)
    {
        if (a.Index == b.Index)
        {
            return GpuRelation.Self;
        }

        var chainA = a.UpstreamBridgeIds;
        var chainB = b.UpstreamBridgeIds;
        var common = chainA.FirstOrDefault(chainB.Contains);
        if (common is null)
        {
            var nodeA = a.NumaNode ?? NumaOf(chainA, bridges);
            var nodeB = b.NumaNode ?? NumaOf(chainB, bridges);
            return nodeA is not null && nodeA == nodeB ? GpuRelation.SameNumaNode : GpuRelation.AcrossNumaNodes;
        }

        var kind = bridges.FirstOrDefault(x => x.Id == common)?.Kind;
        if (kind is BridgeKind.HostBridge or null)
        {
            return GpuRelation.HostBridge;
        }

        if (kind == BridgeKind.RootPort)
        {
            // Two functions below one root port without a switch: treat like one switch hop.
            return GpuRelation.SingleSwitch;
        }

        var switchesA = chainA.TakeWhile(id => id != common).Count(id => IsSwitch(id, bridges));
        var switchesB = chainB.TakeWhile(id => id != common).Count(id => IsSwitch(id, bridges));
        return switchesA + switchesB == 0 ? GpuRelation.SingleSwitch : GpuRelation.MultipleSwitches;
    }

    private static bool IsSwitch(string id, IReadOnlyList<PcieBridge> bridges) =>
        bridges.FirstOrDefault(b => b.Id == id)?.Kind == BridgeKind.Switch;

    private static int? NumaOf(IReadOnlyList<string> chain, IReadOnlyList<PcieBridge> bridges) =>
        chain.Select(id => bridges.FirstOrDefault(b => b.Id == id)?.NumaNode).FirstOrDefault(n => n is not null);
}
