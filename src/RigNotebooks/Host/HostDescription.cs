using System.Runtime.InteropServices;
using RigNotebooks.Model;

namespace RigNotebooks.Host;

/// <summary>This machine without its GPUs: CPU model, kernel command line, OS, host name, read from procfs. What a run
/// that happens on the host (CPU training, the user's own training command) records as its rig.</summary>
public static class HostDescription
{
    public static RigDescription Describe(string rigId)
    {
        var unknowns = new List<UnknownFact>();
        var cpu = ReadCpuModel() ?? Unknown(unknowns, "platform.cpuModel", "/proc/cpuinfo has no model name", "unknown CPU");
        var cmdline = Read("/proc/cmdline")?.Trim() ?? Unknown(unknowns, "platform.kernelCommandLine", "/proc/cmdline is not readable", string.Empty);
        var platform = new PlatformInfo(
            CpuModel: cpu,
            Board: null,
            CpuPcieLanesTotal: null,
            CpuPcieLanesUsable: null,
            OtherCpuLanesUsed: null,
            NumaNodes: Directory.Exists("/sys/devices/system/node") ? Directory.GetDirectories("/sys/devices/system/node", "node*").Length : null,
            Iommu: IommuMode.Unknown,
            KernelCommandLine: cmdline,
            DriverVersion: string.Empty,
            CudaDriverVersion: string.Empty,
            Os: RuntimeInformation.OSDescription,
            Hostname: Environment.MachineName);
        return new RigDescription(rigId, DataSource.Measured, [], [], [], platform, [], null, unknowns);
    }

    /// <summary>Logical CPUs this process may run on.</summary>
    public static int LogicalCpus => Environment.ProcessorCount;

    private static string? ReadCpuModel() =>
        Read("/proc/cpuinfo")?.Split('\n')
            .Where(l => l.StartsWith("model name", StringComparison.Ordinal))
            .Select(l => l.Split(':', 2)[1].Trim())
            .FirstOrDefault();

    private static string? Read(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Unknown(List<UnknownFact> unknowns, string field, string reason, string placeholder)
    {
        unknowns.Add(new UnknownFact(field, reason));
        return placeholder;
    }
}
