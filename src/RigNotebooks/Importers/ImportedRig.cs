using RigNotebooks.Model;

namespace RigNotebooks.Importers;

/// <summary>The rig an imported output came from, as far as the output tells: GPU names, driver, host. Everything
/// else is recorded as unknown, never guessed.</summary>
public static class ImportedRig
{
    public static RigDescription Describe(ImportResult import, string file)
    {
        var machine = import.Machine;
        var platform = new PlatformInfo(
            CpuModel: "unknown",
            Board: null,
            CpuPcieLanesTotal: null,
            CpuPcieLanesUsable: null,
            OtherCpuLanesUsed: null,
            NumaNodes: null,
            Iommu: IommuMode.Unknown,
            KernelCommandLine: string.Empty,
            DriverVersion: machine.DriverVersion ?? "unknown",
            CudaDriverVersion: machine.CudaVersion ?? "unknown",
            Os: "unknown",
            Hostname: machine.Host);
        var unknowns = new List<UnknownFact>
        {
            new("platform", $"imported from {import.Tool} output ({Path.GetFileName(file)}): the output does not describe the host"),
        };
        if (machine.GpuNames.Count > 0)
        {
            unknowns.Add(new UnknownFact("gpus", $"the output names the GPUs only: {string.Join(", ", machine.GpuNames)}"));
        }

        return new RigDescription($"imported:{import.Tool}:{Path.GetFileName(file)}", DataSource.Imported, [], [], [], platform, [], null, unknowns);
    }
}
