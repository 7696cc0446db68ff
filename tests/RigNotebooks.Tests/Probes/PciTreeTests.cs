using RigNotebooks.Model;
using RigNotebooks.Probes;
using RigNotebooks.Tests.Support;

namespace RigNotebooks.Tests.Probes;

public sealed class PciTreeTests
{
    private static readonly SystemRoot X399 = new(RepoPaths.Fixture("sysfs-x399-3gpu"));
    private static readonly SystemRoot ThisVm = new(RepoPaths.Fixture("sysfs-this-vm"));

    [Fact]
    public void X399_tree_finds_three_gpus_with_their_bridges_numa_and_links()
    {
        var tree = PciTree.Read(X399);
        Assert.Equal(16, tree.Devices.Count);
        Assert.Equal(["0000:09:00.0", "0000:0a:00.0", "0000:41:00.0"], tree.NvidiaGpus.Select(g => g.Address));

        var gpu1 = tree.Find("00000000:0A:00.0")!;
        Assert.Equal(["0000:00:03.1"], gpu1.Ancestors);
        Assert.Equal("pci0000:00", gpu1.RootBus);
        Assert.Equal(0, gpu1.NumaNode);
        Assert.Equal(new PciLinkAttributes(1, 8, 4, 16), gpu1.Link);
        Assert.Equal("nvidia", gpu1.Driver);
        Assert.Equal(5, gpu1.IommuGroup);
        Assert.Equal((ushort)0x2204, gpu1.DeviceId);
        Assert.Equal(64, gpu1.Config.Length);

        var gpu2 = tree.Find("0000:41:00.0")!;
        Assert.Equal("pci0000:40", gpu2.RootBus);
        Assert.Equal(1, gpu2.NumaNode);

        var wifi = tree.Find("0000:04:00.0")!;
        Assert.Equal(["0000:02:04.0", "0000:01:00.2", "0000:00:01.3"], wifi.Ancestors);
        Assert.False(wifi.IsNvidiaGpu);
        Assert.False(tree.Find("0000:09:00.1")!.IsNvidiaGpu); // the card's audio function is not a GPU
    }

    [Fact]
    public void This_vm_real_tree_has_virtio_functions_no_links_and_no_numa()
    {
        var tree = PciTree.Read(ThisVm);
        Assert.Equal(6, tree.Devices.Count);
        Assert.Empty(tree.NvidiaGpus);
        Assert.All(tree.Devices, d => Assert.Null(d.NumaNode));
        Assert.All(tree.Devices, d => Assert.Equal(PciLinkAttributes.None, d.Link));
        Assert.All(tree.Devices, d => Assert.Equal("pci0000:00", d.RootBus));
        Assert.Equal((ushort)0x8086, tree.Find("0000:00:00.0")!.VendorId);
        Assert.Equal(5, tree.Devices.Count(d => d.VendorId == 0x1af4));
    }

    [Fact]
    public void X399_topology_names_root_ports_host_bridges_and_link_maxima()
    {
        var tree = PciTree.Read(X399);
        var topology = PcieTopologyBuilder.Build(tree, tree.NvidiaGpus.Select(g => g.Address));
        Assert.Equal(["0000:00:01.1", "pci0000:00"], topology.ChainByGpu["0000:09:00.0"]);
        Assert.Equal(["0000:00:03.1", "pci0000:00"], topology.ChainByGpu["0000:0a:00.0"]);
        Assert.Equal(["0000:40:01.1", "pci0000:40"], topology.ChainByGpu["0000:41:00.0"]);

        var hostBridge = topology.Bridges.Single(b => b.Id == "pci0000:40");
        Assert.Equal(BridgeKind.HostBridge, hostBridge.Kind);
        Assert.Equal(1, hostBridge.NumaNode);
        var rootPort = topology.Bridges.Single(b => b.Id == "0000:00:03.1");
        Assert.Equal(BridgeKind.RootPort, rootPort.Kind);
        Assert.Null(rootPort.AcsEnabled); // 64-byte config: needs root
        Assert.Equal(new PcieLink(3, 8, 3, 16), rootPort.Link);

        // The GPU can do Gen4, the X399 port Gen3: the link's maximum is the lesser.
        Assert.Equal(new PcieLink(1, 8, 3, 16), PcieTopologyBuilder.LinkOf(tree.Find("0000:0a:00.0")!, tree));
    }

    [Fact]
    public void X399_relations_from_sysfs_follow_nvidia_smi_rules()
    {
        var tree = PciTree.Read(X399);
        var topology = PcieTopologyBuilder.Build(tree, tree.NvidiaGpus.Select(g => g.Address));
        GpuInfo Gpu(int i, string bus) => new(i, "g", "u", bus, "Ampere", 0, new PowerLimits(0, 0, 0, 0), new PcieLink(1, 16, 3, 16),
            topology.ChainByGpu[bus], tree.Find(bus)!.NumaNode, null);
        var g0 = Gpu(0, "0000:09:00.0");
        var g1 = Gpu(1, "0000:0a:00.0");
        var g2 = Gpu(2, "0000:41:00.0");
        Assert.Equal(GpuRelation.HostBridge, TopologyClassifier.Classify(g0, g1, topology.Bridges));
        Assert.Equal(GpuRelation.AcrossNumaNodes, TopologyClassifier.Classify(g0, g2, topology.Bridges));
    }

    [Fact]
    public void A_switch_collapses_into_one_bridge_named_by_its_upstream_port()
    {
        var tree = PciTree.Read(X399);
        var topology = PcieTopologyBuilder.Build(tree, ["0000:04:00.0"]);
        Assert.Equal(["0000:01:00.2", "0000:00:01.3", "pci0000:00"], topology.ChainByGpu["0000:04:00.0"]);
        var chipset = topology.Bridges.Single(b => b.Id == "0000:01:00.2");
        Assert.Equal(BridgeKind.Switch, chipset.Kind);
        Assert.DoesNotContain(topology.Bridges, b => b.Id == "0000:02:04.0");
        Assert.Null(chipset.AcsEnabled);
    }

    [Fact]
    public void A_gpu_missing_from_sysfs_is_a_note_not_a_crash()
    {
        var topology = PcieTopologyBuilder.Build(PciTree.Read(ThisVm), ["0000:65:00.0"]);
        Assert.Empty(topology.ChainByGpu["0000:65:00.0"]);
        Assert.Contains("0000:65:00.0", topology.Notes.Single(), StringComparison.Ordinal);
    }
}
