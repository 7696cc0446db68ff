using System.Security.Cryptography;
using System.Text;
using RigNotebooks.Data;
using RigNotebooks.Model;
using RigNotebooks.Profiles;

namespace RigNotebooks.Simulation;

/// <summary>Builds the static side of a simulated rig — what NVML and sysfs would report — from its profile.</summary>
public static class SimulatedDescription
{
    public static RigDescription Build(RigProfile profile, string rigId, ReferenceData data)
    {
        // Only the bridges above a GPU, as the kit's probe of a real rig reports them: a free slot's port stays in the
        // profile for the planner (gpus=N puts added cards there) but is not part of what the rig shows.
        var onPath = profile.Gpus.SelectMany(g => ChainAbove(g.Parent, profile.Bridges)).ToHashSet(StringComparer.Ordinal);
        var bridges = profile.Bridges.Where(b => onPath.Contains(b.Id)).Select(b => new PcieBridge(
            b.Id,
            b.Kind,
            b.BusId,
            b.NumaNode,
            b.Acs,
            b.Link is { } l ? ToLink(l) : null)).ToList();

        var gpus = profile.Gpus.Select((g, i) =>
        {
            var model = data.FindGpu(g.Model)!;
            var chain = ChainAbove(g.Parent, profile.Bridges);
            return new GpuInfo(
                Index: i,
                Name: model.Name,
                Uuid: g.Uuid ?? SimulatedUuid(profile.Name, i),
                PciBusId: g.BusId,
                Architecture: model.Architecture,
                MemoryBytes: model.MemoryBytes,
                PowerLimits: new PowerLimits(model.PowerMinW, model.PowerDefaultW, model.PowerMaxW, g.PowerLimitW ?? model.PowerDefaultW),
                Link: ToLink(g.Link),
                UpstreamBridgeIds: chain,
                NumaNode: chain.Select(id => profile.Bridges.First(b => b.Id == id).NumaNode).FirstOrDefault(n => n is not null),
                AirflowPosition: g.AirflowPosition,
                Serial: null);
        }).ToList();

        var pairs = new List<GpuPair>();
        foreach (var a in gpus)
        {
            foreach (var b in gpus)
            {
                pairs.Add(new GpuPair(a.Index, b.Index, TopologyClassifier.Classify(a, b, bridges), P2P(profile, data, a, b)));
            }
        }

        var cpu = data.FindCpu(profile.Platform.Cpu);
        var platform = new PlatformInfo(
            CpuModel: profile.Platform.Cpu,
            Board: profile.Platform.Board,
            CpuPcieLanesTotal: profile.Platform.CpuPcieLanesTotal ?? cpu?.PcieLanesTotal,
            CpuPcieLanesUsable: profile.Platform.CpuPcieLanesUsable ?? cpu?.PcieLanesUsable,
            OtherCpuLanesUsed: profile.Platform.OtherCpuLanesUsed,
            NumaNodes: profile.Platform.NumaNodes ?? cpu?.NumaNodes,
            Iommu: profile.Platform.Iommu,
            KernelCommandLine: profile.Platform.KernelCommandLine,
            DriverVersion: profile.Platform.DriverVersion,
            CudaDriverVersion: profile.Platform.CudaDriverVersion,
            Os: profile.Platform.Os,
            Hostname: profile.Platform.Hostname);

        var psus = profile.Psus.Select(p => new PsuInfo(p.Name, p.RatingW, p.Feeds, p.OtherLoadW)).ToList();
        var cooling = profile.Cooling is { } c ? new CoolingInfo(c.AmbientC, c.Layout) : null;
        return new RigDescription(rigId, DataSource.Simulated, gpus, bridges, pairs, platform, psus, cooling, []);
    }

    /// <summary>A stable, UUID-shaped identifier for a simulated GPU, so runs of the same profile line up.</summary>
    public static string SimulatedUuid(string profileName, int index)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{profileName}/{index}"))[..16];
        return $"GPU-{new Guid(hash, bigEndian: true)}";
    }

    private static PcieLink ToLink(LinkSpec l) => new(l.Gen, l.Width, l.MaxGen ?? l.Gen, l.MaxWidth ?? l.Width);

    private static List<string> ChainAbove(string parent, IReadOnlyList<BridgeSpec> bridges)
    {
        var chain = new List<string>();
        for (var id = parent; id is not null; id = bridges.First(b => b.Id == id).Parent)
        {
            chain.Add(id);
        }

        return chain;
    }

    private static P2PCapability P2P(RigProfile profile, ReferenceData data, GpuInfo a, GpuInfo b)
    {
        if (a.Index == b.Index)
        {
            return new P2PCapability(true, true, false, false, "the same GPU");
        }

        var modelA = data.FindGpu(profile.Gpus[a.Index].Model)!;
        var modelB = data.FindGpu(profile.Gpus[b.Index].Model)!;
        if (!modelA.P2PInStockDriver || !modelB.P2PInStockDriver)
        {
            var which = !modelA.P2PInStockDriver ? modelA.Name : modelB.Name;
            return P2PCapability.None($"{which}: P2P is disabled in the stock driver");
        }

        if (!profile.Faults.PeerAccessReported)
        {
            return P2PCapability.None($"driver {profile.Platform.DriverVersion} reports no peer access between these GPUs");
        }

        return new P2PCapability(true, true, false, false, $"reported by driver {profile.Platform.DriverVersion} over PCIe (simulated)");
    }
}
