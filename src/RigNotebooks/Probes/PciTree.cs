using System.Globalization;

namespace RigNotebooks.Probes;

/// <summary>The PCI functions of a machine, from <c>/sys/bus/pci/devices</c>: each entry is a link into
/// <c>/sys/devices/pciDDDD:BB/…</c>, whose path spells the bridges above the device.</summary>
public sealed class PciTree
{
    private readonly Dictionary<string, PciDevice> byAddress;

    public PciTree(IReadOnlyList<PciDevice> devices)
    {
        Devices = devices;
        byAddress = devices.ToDictionary(d => d.Address, StringComparer.Ordinal);
    }

    public IReadOnlyList<PciDevice> Devices { get; }

    public IEnumerable<PciDevice> NvidiaGpus => Devices.Where(d => d.IsNvidiaGpu);

    public PciDevice? Find(string address) => byAddress.GetValueOrDefault(PciAddress.Normalize(address));

    /// <summary>Children of a function (the functions whose nearest ancestor it is).</summary>
    public IEnumerable<PciDevice> ChildrenOf(string address) =>
        Devices.Where(d => d.Ancestors.Count > 0 && d.Ancestors[0] == address);

    public static PciTree Read(SystemRoot root)
    {
        const string bus = "/sys/bus/pci/devices";
        var devices = new List<PciDevice>();
        foreach (var name in root.List(bus).Where(PciAddress.IsAddress))
        {
            var entry = $"{bus}/{name}";
            var path = root.ResolveLink(entry) ?? entry;
            devices.Add(ReadDevice(root, PciAddress.Normalize(name), path));
        }

        return new PciTree(devices);
    }

    private static PciDevice ReadDevice(SystemRoot root, string address, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var ancestors = segments.Where(PciAddress.IsAddress).Select(PciAddress.Normalize).Where(a => a != address).Reverse().ToList();
        var rootBus = segments.FirstOrDefault(s => s.StartsWith("pci", StringComparison.Ordinal) && s.Contains(':', StringComparison.Ordinal));
        var numa = ParseInt(root.ReadLine($"{path}/numa_node"));
        var group = root.LinkName($"{path}/iommu_group");
        return new PciDevice(
            address,
            ParseHex16(root.ReadLine($"{path}/vendor")),
            ParseHex16(root.ReadLine($"{path}/device")),
            ParseHex(root.ReadLine($"{path}/class")),
            numa is >= 0 ? numa : null,
            ancestors,
            rootBus,
            new PciLinkAttributes(
                PcieLinkSpeed.Generation(root.ReadLine($"{path}/current_link_speed")),
                PcieLinkSpeed.Width(root.ReadLine($"{path}/current_link_width")),
                PcieLinkSpeed.Generation(root.ReadLine($"{path}/max_link_speed")),
                PcieLinkSpeed.Width(root.ReadLine($"{path}/max_link_width"))),
            root.LinkName($"{path}/driver"),
            int.TryParse(group, NumberStyles.Integer, CultureInfo.InvariantCulture, out var g) ? g : null,
            path,
            new PciConfigSpace(root.ReadBytes($"{path}/config") ?? []));
    }

    private static int? ParseInt(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static uint ParseHex(string? text)
    {
        var t = text?.Trim() ?? string.Empty;
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            t = t[2..];
        }

        return uint.TryParse(t, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v) ? v : 0;
    }

    private static ushort ParseHex16(string? text) => (ushort)ParseHex(text);
}
