using System.Security.Cryptography;
using System.Text;
using RigNotebooks.Model;

namespace RigNotebooks.Results;

/// <summary>The facts about a rig that can explain a difference between two runs, and a hash over them.</summary>
public sealed record RigFingerprint(
    string RigId,
    DataSource Source,
    string? Hostname,
    string DriverVersion,
    string CudaDriverVersion,
    string KernelCommandLine,
    IommuMode Iommu,
    IReadOnlyList<GpuFingerprint> Gpus,
    string Hash)
{
    public static RigFingerprint Of(RigDescription rig)
    {
        var gpus = rig.Gpus.Select(g => new GpuFingerprint(g.Index, g.Name, g.Uuid, g.PciBusId, g.Link.Current, g.Link.Max, g.PowerLimits.CurrentW)).ToList();
        var canonical = new StringBuilder()
            .Append(rig.RigId).Append('|').Append(rig.Platform.DriverVersion).Append('|').Append(rig.Platform.CudaDriverVersion)
            .Append('|').Append(rig.Platform.KernelCommandLine).Append('|').Append(rig.Platform.Iommu);
        foreach (var g in gpus)
        {
            canonical.Append('|').Append(g.Uuid).Append(',').Append(g.PciBusId).Append(',').Append(g.LinkCurrent).Append(',').Append(g.PowerLimitW);
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))[..16];
        return new RigFingerprint(rig.RigId, rig.Source, rig.Platform.Hostname, rig.Platform.DriverVersion, rig.Platform.CudaDriverVersion,
            rig.Platform.KernelCommandLine, rig.Platform.Iommu, gpus, hash);
    }
}

public sealed record GpuFingerprint(int Index, string Name, string Uuid, string PciBusId, string LinkCurrent, string LinkMax, double PowerLimitW);
