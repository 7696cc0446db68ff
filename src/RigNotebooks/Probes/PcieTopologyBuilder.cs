using RigNotebooks.Model;

namespace RigNotebooks.Probes;

/// <summary>The bridges above a set of GPUs and each GPU's chain through them, in the rig model's terms.</summary>
public sealed record PcieTopology(IReadOnlyList<PcieBridge> Bridges, IReadOnlyDictionary<string, IReadOnlyList<string>> ChainByGpu, IReadOnlyList<string> Notes);

/// <summary>
/// Turns the sysfs PCI tree into the rig model's bridges. A GPU's chain, nearest first, is: PCIe switches (a switch is
/// one upstream port and its downstream ports, named by the upstream port's address), the root port, and the host
/// bridge (the root bus, "pci0000:00"). Port types come from the PCIe capability when the configuration space is
/// readable (root); otherwise from the tree's shape: a bridge on a root bus is a root port, and below it bridges come
/// in pairs — a switch's upstream port, then its downstream ports.
/// </summary>
public static class PcieTopologyBuilder
{
    public static PcieTopology Build(PciTree tree, IEnumerable<string> gpuAddresses)
    {
        var bridges = new Dictionary<string, PcieBridge>(StringComparer.Ordinal);
        var chains = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var notes = new List<string>();
        foreach (var address in gpuAddresses.Select(PciAddress.Normalize))
        {
            var gpu = tree.Find(address);
            if (gpu is null)
            {
                notes.Add($"GPU {address} is not in /sys/bus/pci/devices");
                chains[address] = [];
                continue;
            }

            var chain = new List<string>();
            var roles = Roles(tree, gpu);
            for (var i = 0; i < gpu.Ancestors.Count; i++)
            {
                var ancestor = tree.Find(gpu.Ancestors[i]);
                if (ancestor is null)
                {
                    continue;
                }

                switch (roles[i])
                {
                    case Role.RootPort:
                        chain.Add(ancestor.Address);
                        bridges.TryAdd(ancestor.Address, new PcieBridge(ancestor.Address, BridgeKind.RootPort, ancestor.Address, ancestor.NumaNode,
                            ancestor.Config.Acs().RedirectsPeerTraffic, LinkOf(ancestor, tree)));
                        break;
                    case Role.SwitchUpstream:
                        chain.Add(ancestor.Address);
                        bridges[ancestor.Address] = SwitchNode(tree, ancestor);
                        break;
                    case Role.SwitchDownstream:
                        // Folded into its switch, named by the upstream port that comes next in the chain.
                        break;
                }
            }

            if (gpu.RootBus is { } rootBus)
            {
                chain.Add(rootBus);
                bridges.TryAdd(rootBus, new PcieBridge(rootBus, BridgeKind.HostBridge, null, HostNuma(tree, rootBus), null, null));
            }

            chains[address] = chain;
        }

        return new PcieTopology(bridges.Values.OrderBy(b => b.Id, StringComparer.Ordinal).ToList(), chains, notes);
    }

    /// <summary>The link a GPU trained, in the model's terms: current from the GPU's end, maximum the lesser of the
    /// GPU's and its parent port's capability. Null when sysfs does not report it (virtual machines, old kernels).</summary>
    public static PcieLink? LinkOf(PciDevice device, PciTree tree)
    {
        var own = device.Link;
        if (own.CurrentGen is not { } cg || own.CurrentWidth is not { } cw)
        {
            return null;
        }

        var parent = device.Ancestors.Count > 0 ? tree.Find(device.Ancestors[0]) : null;
        var maxGen = Min(own.MaxGen, parent?.Link.MaxGen) ?? cg;
        var maxWidth = Min(own.MaxWidth, parent?.Link.MaxWidth) ?? cw;
        return new PcieLink(cg, cw, Math.Max(maxGen, cg), Math.Max(maxWidth, cw));
    }

    private enum Role
    {
        RootPort,
        SwitchUpstream,
        SwitchDownstream,
        Other,
    }

    /// <summary>The role of each ancestor of <paramref name="gpu"/>, nearest first.</summary>
    private static Role[] Roles(PciTree tree, PciDevice gpu)
    {
        var n = gpu.Ancestors.Count;
        var roles = new Role[n];

        // Walk from the top (the bridge on the root bus) down.
        var belowRootPort = -1;
        for (var i = n - 1; i >= 0; i--)
        {
            var device = tree.Find(gpu.Ancestors[i]);
            var fromConfig = device?.Config.PortType;
            Role role;
            if (fromConfig is { } t)
            {
                role = t switch
                {
                    PciePortType.RootPort => Role.RootPort,
                    PciePortType.SwitchUpstream => Role.SwitchUpstream,
                    PciePortType.SwitchDownstream => Role.SwitchDownstream,
                    _ => Role.Other,
                };
            }
            else if (i == n - 1)
            {
                role = Role.RootPort;
            }
            else
            {
                // Shape: below the root port, upstream and downstream ports alternate.
                role = (belowRootPort % 2 == 0) ? Role.SwitchUpstream : Role.SwitchDownstream;
            }

            roles[i] = role;
            belowRootPort = role == Role.RootPort ? 0 : belowRootPort + 1;
        }

        return roles;
    }

    private static PcieBridge SwitchNode(PciTree tree, PciDevice upstream)
    {
        var downstream = tree.ChildrenOf(upstream.Address).Where(d => d.IsBridge).ToList();
        var acs = downstream.Select(d => d.Config.Acs().RedirectsPeerTraffic).ToList();
        bool? redirect = acs.Any(a => a == true) ? true : acs.Count > 0 && acs.All(a => a == false) ? false : null;
        return new PcieBridge(upstream.Address, BridgeKind.Switch, upstream.Address, upstream.NumaNode, redirect, LinkOf(upstream, tree));
    }

    private static int? HostNuma(PciTree tree, string rootBus) =>
        tree.Devices.Where(d => d.RootBus == rootBus).Select(d => d.NumaNode).FirstOrDefault(n => n is not null);

    private static int? Min(int? a, int? b) => a is { } x ? (b is { } y ? Math.Min(x, y) : x) : b;
}
