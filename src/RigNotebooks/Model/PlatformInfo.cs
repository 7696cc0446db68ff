namespace RigNotebooks.Model;

/// <summary>The host around the GPUs. Null means the rig could not tell (see <see cref="RigDescription.Unknowns"/>).</summary>
public sealed record PlatformInfo(
    string CpuModel,
    string? Board,
    int? CpuPcieLanesTotal,
    int? CpuPcieLanesUsable,
    int? OtherCpuLanesUsed,
    int? NumaNodes,
    IommuMode Iommu,
    string KernelCommandLine,
    string DriverVersion,
    string CudaDriverVersion,
    string Os,
    string? Hostname);
