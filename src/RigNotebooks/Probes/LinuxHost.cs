using System.Globalization;

namespace RigNotebooks.Probes;

/// <summary>Everything the Linux probes read about a machine, in one snapshot.</summary>
public sealed record LinuxHost(
    SystemRoot Root,
    KernelCommandLine CommandLine,
    CpuInfo Cpu,
    string? Board,
    string? Os,
    string? Hostname,
    int? NumaNodes,
    PciTree Pci,
    IommuState Iommu,
    KernelLockdown Lockdown,
    NvidiaKernelModule? NvidiaModule)
{
    /// <summary>Reads the machine under <paramref name="root"/> ("/" when null). Nothing here needs root; what does
    /// (the PCI extended configuration space, for ACS) comes back as unknown with the reason.</summary>
    public static LinuxHost Read(SystemRoot? root = null)
    {
        root ??= SystemRoot.Machine;
        var commandLine = KernelCommandLine.Read(root);
        var pci = PciTree.Read(root);
        return new LinuxHost(
            root,
            commandLine,
            CpuInfoProbe.Read(root),
            ReadBoard(root),
            ReadOs(root),
            root.ReadLine("/proc/sys/kernel/hostname") is { Length: > 0 } h ? h : null,
            NumaNodeCount(root),
            pci,
            IommuProbe.Read(root, commandLine, pci),
            LockdownProbe.Read(root),
            NvidiaDriverProbe.Read(root));
    }

    private static string? ReadBoard(SystemRoot root)
    {
        var vendor = root.ReadLine("/sys/class/dmi/id/board_vendor");
        var name = root.ReadLine("/sys/class/dmi/id/board_name");
        var parts = new[] { vendor, name }.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        return parts.Count > 0 ? string.Join(' ', parts) : null;
    }

    private static string? ReadOs(SystemRoot root)
    {
        var text = root.ReadText("/etc/os-release") ?? root.ReadText("/usr/lib/os-release");
        var line = text?.Split('\n').FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
        return line?["PRETTY_NAME=".Length..].Trim().Trim('"');
    }

    private static int? NumaNodeCount(SystemRoot root)
    {
        var nodes = root.List("/sys/devices/system/node")
            .Count(n => n.StartsWith("node", StringComparison.Ordinal) && int.TryParse(n.AsSpan(4), NumberStyles.Integer, CultureInfo.InvariantCulture, out _));
        return nodes > 0 ? nodes : null;
    }
}
