using System.Text.Json;
using RigNotebooks.Errors;

namespace RigNotebooks.Data;

/// <summary>The kit's reference catalogs, read once from the embedded data files.</summary>
public sealed class ReferenceData
{
    private static readonly Lazy<ReferenceData> Embedded = new(() => new ReferenceData(
        ReadList<GpuModelSpec>("gpus.json", "gpus"),
        ReadList<CpuModelSpec>("cpus.json", "cpus"),
        ReadList<DriverP2PIssue>("drivers/p2p-known-issues.json", "issues")));

    public ReferenceData(
        IReadOnlyList<GpuModelSpec> gpus,
        IReadOnlyList<CpuModelSpec> cpus,
        IReadOnlyList<DriverP2PIssue> driverIssues)
    {
        Gpus = gpus;
        Cpus = cpus;
        DriverIssues = driverIssues;
    }

    public static ReferenceData Default => Embedded.Value;

    public IReadOnlyList<GpuModelSpec> Gpus { get; }

    public IReadOnlyList<CpuModelSpec> Cpus { get; }

    public IReadOnlyList<DriverP2PIssue> DriverIssues { get; }

    public GpuModelSpec? FindGpu(string name) =>
        Gpus.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A CPU by exact name or by a name that contains the catalog's (NVML/procfs add "N-Core Processor").</summary>
    public CpuModelSpec? FindCpu(string name) =>
        Cpus.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? Cpus.FirstOrDefault(c => name.Contains(c.Name, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<DriverP2PIssue> DriverIssuesFor(string driverVersion, string architecture) =>
        DriverIssues.Where(i => i.Matches(driverVersion, architecture));

    private static IReadOnlyList<T> ReadList<T>(string file, string property)
    {
        try
        {
            using var doc = JsonDocument.Parse(EmbeddedData.ReadText(file));
            return doc.RootElement.GetProperty(property).Deserialize<List<T>>(KitJson.Strict)
                ?? throw new RigInputException($"data/{file}: '{property}' is null.");
        }
        catch (JsonException ex)
        {
            throw new RigInputException($"data/{file}: at {ex.Path ?? "$"}: {ex.Message}", ex);
        }
    }
}
