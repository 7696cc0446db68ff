using RigNotebooks.Model;

namespace RigNotebooks.Probes;

/// <summary>The IOMMU as the kernel set it up, with the evidence used.</summary>
/// <param name="Units">IOMMU hardware units the kernel drives (<c>/sys/class/iommu</c>: ivhdN on AMD, dmarN on Intel).</param>
/// <param name="GroupCount">Folders under <c>/sys/kernel/iommu_groups</c>.</param>
/// <param name="GpuGroupTypes">Per GPU address, its IOMMU group's default domain type: "identity" (passthrough),
/// "DMA" or "DMA-FQ" (translating), "blocked", "unmanaged" (assigned to a VM).</param>
public sealed record IommuState(IommuMode Mode, IReadOnlyList<string> Units, int GroupCount, IReadOnlyDictionary<string, string> GpuGroupTypes, IReadOnlyList<string> Evidence);

/// <summary>
/// Decides whether device DMA — P2P included — goes through IOMMU translation, from sysfs and the kernel command line.
/// The strongest evidence is the GPU's IOMMU group type (the kernel's own answer); then the command line
/// (<c>iommu=pt</c>, <c>iommu.passthrough=1</c>, <c>amd_iommu=off</c>, <c>intel_iommu=off</c>, <c>iommu=off</c>); an
/// IOMMU that the kernel drives without passthrough translates (the kernel default, lazy "DMA-FQ").
/// </summary>
public static class IommuProbe
{
    public static IommuState Read(SystemRoot root, KernelCommandLine commandLine, PciTree tree)
    {
        var evidence = new List<string>();
        var units = root.List("/sys/class/iommu");
        var groupsDir = "/sys/kernel/iommu_groups";
        var groupsVisible = root.DirectoryExists(groupsDir);
        var groups = root.List(groupsDir);
        var gpuTypes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var gpu in tree.NvidiaGpus)
        {
            if (gpu.IommuGroup is { } g && root.ReadLine($"{groupsDir}/{g}/type") is { Length: > 0 } type)
            {
                gpuTypes[gpu.Address] = type;
            }
        }

        var cmdWords = commandLine.IommuWords;
        evidence.Add(units.Count > 0 ? $"/sys/class/iommu: {string.Join(", ", units)}" : "/sys/class/iommu: empty or absent");
        evidence.Add(groupsVisible ? $"/sys/kernel/iommu_groups: {groups.Count} groups" : "/sys/kernel/iommu_groups: absent");
        evidence.Add(cmdWords.Count > 0 ? $"kernel command line: {string.Join(' ', cmdWords)}" : "kernel command line: no iommu options");
        evidence.AddRange(gpuTypes.Select(kv => $"GPU {kv.Key}: IOMMU group type {kv.Value}"));

        var mode = Decide(units.Count, groups.Count, groupsVisible, gpuTypes.Values.ToList(), commandLine);
        return new IommuState(mode, units, groups.Count, gpuTypes, evidence);
    }

    /// <summary>The decision alone, for tests and for other sources of the same evidence.</summary>
    public static IommuMode Decide(int units, int groups, bool groupsVisible, IReadOnlyList<string> gpuGroupTypes, KernelCommandLine commandLine)
    {
        if (gpuGroupTypes.Count > 0)
        {
            if (gpuGroupTypes.Any(t => t.StartsWith("DMA", StringComparison.Ordinal)))
            {
                return IommuMode.Translating;
            }

            if (gpuGroupTypes.All(t => t == "identity"))
            {
                return IommuMode.Passthrough;
            }
        }

        var off = commandLine.Value("iommu") == "off" || commandLine.Value("amd_iommu") == "off" || commandLine.Value("intel_iommu") == "off";
        if (units == 0 && groups == 0)
        {
            // Nothing registered: the IOMMU is off (firmware or kernel) — if sysfs could be read at all.
            return groupsVisible || off ? IommuMode.Off : IommuMode.Unknown;
        }

        if (off && units == 0)
        {
            return IommuMode.Off;
        }

        var passthrough = commandLine.Value("iommu") == "pt" || commandLine.Value("iommu.passthrough") is "1" or "on" or "y" ||
                          commandLine.Value("amd_iommu") == "pt" || commandLine.Value("intel_iommu")?.Split(',').Contains("pt") == true;
        return passthrough ? IommuMode.Passthrough : IommuMode.Translating;
    }
}
