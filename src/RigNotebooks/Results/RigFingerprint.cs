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
        var gpus = rig.Gpus.Select(g => new GpuFingerprint(g.Index, g.Name, g.Uuid, g.PciBusId, g.Link.Current, g.Link.Max, g.PowerLimits.CurrentW, g.Serial)).ToList();
        return new RigFingerprint(rig.RigId, rig.Source, rig.Platform.Hostname, rig.Platform.DriverVersion, rig.Platform.CudaDriverVersion,
            rig.Platform.KernelCommandLine, rig.Platform.Iommu, gpus, string.Empty).Rehashed();
    }

    /// <summary>The same fingerprint with its hash computed from its fields (after an anonymiser replaced identifiers,
    /// the old hash would still identify the machine).</summary>
    public RigFingerprint Rehashed() => this with { Hash = ComputeHash(this) };

    public static string ComputeHash(RigFingerprint rig)
    {
        var canonical = new StringBuilder()
            .Append(rig.RigId).Append('|').Append(rig.DriverVersion).Append('|').Append(rig.CudaDriverVersion)
            .Append('|').Append(rig.KernelCommandLine).Append('|').Append(rig.Iommu);
        foreach (var g in rig.Gpus)
        {
            canonical.Append('|').Append(g.Uuid).Append(',').Append(g.PciBusId).Append(',').Append(g.LinkCurrent).Append(',').Append(g.PowerLimitW);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))[..16];
    }
}

/// <param name="Serial">The board serial number where the rig reports one (NVML on a real card); null when unknown.</param>
public sealed record GpuFingerprint(int Index, string Name, string Uuid, string PciBusId, string LinkCurrent, string LinkMax, double PowerLimitW, string? Serial = null);
