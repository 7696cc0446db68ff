using System.Runtime.InteropServices;
using RigNotebooks.Data;
using RigNotebooks.Interop.Nvml;
using RigNotebooks.Model;
using RigNotebooks.Probes;

namespace RigNotebooks.Hardware;

/// <summary>
/// Builds the local rig's description from what NVML and the Linux probes actually read. NVML is preferred where both
/// speak (links, relations); sysfs fills in what NVML cannot say (bridges, NUMA, IOMMU, ACS, the command line) and
/// stands in when an NVML query fails. Whatever neither can read goes into <see cref="RigDescription.Unknowns"/> with
/// the reason, and its field holds a neutral placeholder (0, NaN, "unknown") — never an invented figure.
/// </summary>
public static class LocalDescriptionBuilder
{
    public const string UnknownText = "unknown";

    public static RigDescription Build(string rigId, NvmlSnapshot nvml, LinuxHost host, ReferenceData data)
    {
        ArgumentNullException.ThrowIfNull(nvml);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(data);
        var unknowns = new List<UnknownFact>();
        var busIds = nvml.Gpus.Select(g => g.Pci.HasValue ? g.Pci.Value.BusId : string.Empty).ToList();
        var topology = PcieTopologyBuilder.Build(host.Pci, busIds.Where(b => b.Length > 0));
        unknowns.AddRange(topology.Notes.Select(n => new UnknownFact("bridges", n)));

        var gpus = nvml.Gpus.Select(g => BuildGpu(g, host, topology, data, unknowns)).ToList();
        var pairs = new List<GpuPair>();
        foreach (var a in gpus)
        {
            foreach (var b in gpus)
            {
                pairs.Add(a.Index == b.Index
                    ? new GpuPair(a.Index, b.Index, GpuRelation.Self, new P2PCapability(true, true, false, false, "the same GPU"))
                    : BuildPair(a, b, nvml, topology, unknowns));
            }
        }

        var platform = BuildPlatform(nvml, host, data, unknowns);
        var acsUnknown = topology.Bridges.Where(b => b.Kind != BridgeKind.HostBridge && b.AcsEnabled is null).ToList();
        if (acsUnknown.Count > 0)
        {
            var why = acsUnknown.Select(b => b.PciBusId is { } id ? host.Pci.Find(id)?.Config.Acs().WhyUnknown : null).FirstOrDefault(w => w is not null)
                      ?? "the ACS control register could not be read";
            unknowns.Add(new UnknownFact("bridges.acs", $"{string.Join(", ", acsUnknown.Select(b => b.Id))}: {why}"));
        }

        unknowns.Add(new UnknownFact("psus", "a rig cannot measure its power supplies; describe them in a profile (sim:<path.json>) for the PSU headroom check"));
        unknowns.Add(new UnknownFact("cooling", "airflow order and ambient temperature are not readable from the machine; describe them in a profile"));
        return new RigDescription(rigId, DataSource.Measured, gpus, topology.Bridges, pairs, platform, [], null, unknowns);
    }

    private static GpuInfo BuildGpu(NvmlGpuSnapshot g, LinuxHost host, PcieTopology topology, ReferenceData data, List<UnknownFact> unknowns)
    {
        var field = $"gpus[{g.Index}]";
        var busId = g.Pci.HasValue ? g.Pci.Value.BusId : UnknownText;
        if (!g.Pci.HasValue)
        {
            unknowns.Add(new UnknownFact($"{field}.pciBusId", g.Pci.WhyNot));
        }

        var pci = host.Pci.Find(busId);
        var name = g.Name.ValueOr(UnknownText);
        Note(unknowns, $"{field}.name", g.Name);
        var uuid = g.Uuid.ValueOr(UnknownText);
        Note(unknowns, $"{field}.uuid", g.Uuid);

        var architecture = g.Architecture is { HasValue: true, Value: { } arch } ? arch : data.FindGpu(name)?.Architecture;
        if (architecture is null)
        {
            unknowns.Add(new UnknownFact($"{field}.architecture", g.Architecture.HasValue
                ? $"NVML does not name this architecture and '{name}' is not in data/gpus.json"
                : $"{g.Architecture.WhyNot}; '{name}' is not in data/gpus.json"));
        }

        long memory = 0;
        if (g.Memory.HasValue)
        {
            memory = checked((long)g.Memory.Value.TotalBytes);
        }
        else
        {
            unknowns.Add(new UnknownFact($"{field}.memoryBytes", g.Memory.WhyNot));
        }

        var limits = g.PowerLimits.HasValue ? g.PowerLimits.Value : new PowerLimits(double.NaN, double.NaN, double.NaN, double.NaN);
        Note(unknowns, $"{field}.powerLimits", g.PowerLimits);

        PcieLink link;
        if (g.Link.HasValue)
        {
            link = g.Link.Value;
        }
        else if (pci is not null && PcieTopologyBuilder.LinkOf(pci, host.Pci) is { } fromSysfs)
        {
            link = fromSysfs;
            unknowns.Add(new UnknownFact($"{field}.link", $"from sysfs, because NVML could not tell: {g.Link.WhyNot}"));
        }
        else
        {
            link = new PcieLink(0, 0, 0, 0);
            unknowns.Add(new UnknownFact($"{field}.link", $"{g.Link.WhyNot}; sysfs reports no link attributes for {busId}"));
        }

        var chain = topology.ChainByGpu.TryGetValue(busId, out var c) ? c : [];
        if (pci is null && g.Pci.HasValue)
        {
            unknowns.Add(new UnknownFact($"{field}.upstreamBridgeIds", $"{busId} is not under /sys/bus/pci/devices"));
        }

        return new GpuInfo(
            g.Index,
            name,
            uuid,
            busId,
            architecture ?? UnknownText,
            memory,
            limits,
            link,
            chain,
            pci?.NumaNode,
            AirflowPosition: null,
            Serial: g.Serial.HasValue ? g.Serial.Value : null);
    }

    private static GpuPair BuildPair(GpuInfo a, GpuInfo b, NvmlSnapshot nvml, PcieTopology topology, List<UnknownFact> unknowns)
    {
        var s = nvml.Pairs.FirstOrDefault(p => p.From == a.Index && p.To == b.Index);
        var nvlink = s is { NvLink: { HasValue: true, Value: NvmlP2PStatus.Ok } };
        GpuRelation relation;
        if (nvlink)
        {
            relation = GpuRelation.NvLink;
        }
        else if (s is { CommonAncestor.HasValue: true })
        {
            relation = s.CommonAncestor.Value switch
            {
                NvmlTopologyLevel.Internal or NvmlTopologyLevel.Single => GpuRelation.SingleSwitch,
                NvmlTopologyLevel.Multiple => GpuRelation.MultipleSwitches,
                NvmlTopologyLevel.HostBridge => GpuRelation.HostBridge,
                NvmlTopologyLevel.Node => GpuRelation.SameNumaNode,
                _ => GpuRelation.AcrossNumaNodes,
            };
        }
        else
        {
            relation = TopologyClassifier.Classify(a, b, topology.Bridges);
            unknowns.Add(new UnknownFact($"pairs[{a.Index},{b.Index}].relation",
                $"derived from sysfs bridges, because NVML could not tell: {s?.CommonAncestor.WhyNot ?? "no NVML answer for this pair"}"));
        }

        return new GpuPair(a.Index, b.Index, relation, P2P(s, nvml.DriverVersion.ValueOr(UnknownText)));
    }

    private static P2PCapability P2P(NvmlPairSnapshot? s, string driver)
    {
        if (s is null || !s.Read.HasValue || !s.Write.HasValue)
        {
            var why = s is null ? "no NVML answer for this pair" : !s.Read.HasValue ? s.Read.WhyNot : s.Write.WhyNot;
            return P2PCapability.None($"no, because NVML could not tell: {why}");
        }

        var read = s.Read.Value == NvmlP2PStatus.Ok;
        var write = s.Write.Value == NvmlP2PStatus.Ok;
        var nvlink = s.NvLink is { HasValue: true, Value: NvmlP2PStatus.Ok };
        var atomics = s.Atomics is { HasValue: true, Value: NvmlP2PStatus.Ok };
        var detail = $"read {Describe(s.Read.Value)}, write {Describe(s.Write.Value)}" +
                     (s.Atomics.HasValue ? $", atomics {Describe(s.Atomics.Value)}" : string.Empty) +
                     (nvlink ? ", over NVLink" : string.Empty);
        var reason = read && write
            ? $"reported by driver {driver} (NVML P2P status: {detail}); reported is not proven: run `rig bandwidth` to test"
            : $"no, because driver {driver} reports {detail}";
        return new P2PCapability(read, write, nvlink, atomics, reason);
    }

    /// <summary>An NVML P2P status in words.</summary>
    public static string Describe(NvmlP2PStatus status) => status switch
    {
        NvmlP2PStatus.Ok => "OK",
        NvmlP2PStatus.ChipsetNotSupported => "not supported by the chipset",
        NvmlP2PStatus.GpuNotSupported => "not supported by the GPU",
        NvmlP2PStatus.IohTopologyNotSupported => "not supported by the PCIe topology (IOH)",
        NvmlP2PStatus.DisabledByRegkey => "disabled by a driver registry key",
        NvmlP2PStatus.NotSupported => "not supported",
        _ => "unknown",
    };

    private static PlatformInfo BuildPlatform(NvmlSnapshot nvml, LinuxHost host, ReferenceData data, List<UnknownFact> unknowns)
    {
        var cpuModel = host.Cpu.Model ?? UnknownText;
        if (host.Cpu.Model is null)
        {
            unknowns.Add(new UnknownFact("platform.cpuModel", "/proc/cpuinfo has no 'model name' line"));
        }

        var cpu = data.FindCpu(cpuModel);
        if (cpu is null)
        {
            unknowns.Add(new UnknownFact("platform.cpuPcieLanes", $"'{cpuModel}' is not in data/cpus.json"));
        }

        unknowns.Add(new UnknownFact("platform.otherCpuLanesUsed", "which other devices (NVMe, NICs) use CPU lanes is not read; the lane check counts the GPUs only"));
        if (host.Iommu.Mode == IommuMode.Unknown)
        {
            unknowns.Add(new UnknownFact("platform.iommu", string.Join("; ", host.Iommu.Evidence)));
        }

        string driver;
        if (nvml.DriverVersion.HasValue)
        {
            driver = nvml.DriverVersion.Value;
        }
        else if (host.NvidiaModule is { } module)
        {
            driver = module.Version;
            unknowns.Add(new UnknownFact("platform.driverVersion", $"from {NvidiaDriverProbe.VersionFile}, because NVML could not tell: {nvml.DriverVersion.WhyNot}"));
        }
        else
        {
            driver = UnknownText;
            unknowns.Add(new UnknownFact("platform.driverVersion", $"{nvml.DriverVersion.WhyNot}; {NvidiaDriverProbe.VersionFile} is absent"));
        }

        Note(unknowns, "platform.cudaDriverVersion", nvml.CudaDriverVersion);
        return new PlatformInfo(
            cpuModel,
            host.Board,
            cpu?.PcieLanesTotal,
            cpu?.PcieLanesUsable,
            OtherCpuLanesUsed: null,
            host.NumaNodes,
            host.Iommu.Mode,
            host.CommandLine.Text,
            driver,
            nvml.CudaDriverVersion.ValueOr(UnknownText),
            host.Os ?? RuntimeInformation.OSDescription,
            host.Hostname);
    }

    private static void Note<T>(List<UnknownFact> unknowns, string field, Readout<T> readout)
    {
        if (!readout.HasValue)
        {
            unknowns.Add(new UnknownFact(field, readout.WhyNot));
        }
    }
}
