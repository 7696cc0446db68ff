using RigNotebooks.Interop.Nvml;
using RigNotebooks.Model;

namespace RigNotebooks.Hardware;

/// <summary>Everything the local rig's description needs from NVML, read once; each reading is a value or the reason
/// NVML gave for not having one. Separating the reading from the building lets tests build descriptions from
/// hand-made snapshots and from the stand-in library alike.</summary>
public sealed record NvmlSnapshot(
    Readout<string> DriverVersion,
    Readout<string> CudaDriverVersion,
    IReadOnlyList<NvmlGpuSnapshot> Gpus,
    IReadOnlyList<NvmlPairSnapshot> Pairs)
{
    /// <summary>Reads every GPU and every ordered pair. Queries that fail become unavailable readings; only a failure to
    /// enumerate the GPUs at all throws.</summary>
    public static NvmlSnapshot Capture(NvmlSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var devices = session.Devices();
        var gpus = devices.Select(d => new NvmlGpuSnapshot(
            d.Index,
            Readout.Try(d.Name),
            Readout.Try(d.Uuid),
            Readout.Try(d.PciInfo),
            Readout.Try(d.Architecture),
            Readout.Try(d.Memory),
            Readout.Try(d.Link),
            Readout.Try(d.PowerLimits),
            Readout.Try(d.Serial))).ToList();

        var pairs = new List<NvmlPairSnapshot>();
        foreach (var a in devices)
        {
            foreach (var b in devices.Where(b => b.Index != a.Index))
            {
                pairs.Add(new NvmlPairSnapshot(
                    a.Index,
                    b.Index,
                    Readout.Try(() => a.CommonAncestor(b)),
                    Readout.Try(() => a.P2PStatus(b, NvmlP2PCapability.Read)),
                    Readout.Try(() => a.P2PStatus(b, NvmlP2PCapability.Write)),
                    Readout.Try(() => a.P2PStatus(b, NvmlP2PCapability.NvLink)),
                    Readout.Try(() => a.P2PStatus(b, NvmlP2PCapability.Atomics))));
            }
        }

        return new NvmlSnapshot(Readout.Try(session.DriverVersion), Readout.Try(session.CudaDriverVersion), gpus, pairs);
    }
}

/// <summary>One GPU's static facts from NVML.</summary>
public sealed record NvmlGpuSnapshot(
    int Index,
    Readout<string> Name,
    Readout<string> Uuid,
    Readout<NvmlPciIdentity> Pci,
    Readout<string?> Architecture,
    Readout<GpuMemoryInfo> Memory,
    Readout<PcieLink> Link,
    Readout<PowerLimits> PowerLimits,
    Readout<string> Serial);

/// <summary>What NVML says about one ordered GPU pair.</summary>
public sealed record NvmlPairSnapshot(
    int From,
    int To,
    Readout<NvmlTopologyLevel> CommonAncestor,
    Readout<NvmlP2PStatus> Read,
    Readout<NvmlP2PStatus> Write,
    Readout<NvmlP2PStatus> NvLink,
    Readout<NvmlP2PStatus> Atomics);
