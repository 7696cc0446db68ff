using RigNotebooks.Bandwidth.Measurement;
using RigNotebooks.Results;
using RigNotebooks.Rigs;

namespace RigNotebooks.Bandwidth.Cases;

/// <summary>Device→device copies within each GPU's own memory (the local ceiling a peer copy is compared with).</summary>
public sealed class DeviceLocalCopyCase() : PerGpuCopyCase("device_local_copy", "Copies between two buffers in one GPU's memory, per GPU")
{
    public override IEnumerable<ResultRow> Run(IRig rig, WorkItem item, CaseSettings settings, CancellationToken cancellationToken) =>
        BandwidthRows(item, Time(rig, item, settings, CopyRoute.DeviceLocal, HostMemory.Pinned, cancellationToken), rig.Source, Parameters(item, settings));
}
