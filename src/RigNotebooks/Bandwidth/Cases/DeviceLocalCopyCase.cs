using RigNotebooks.Bandwidth.Measurement;
using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Rigs;

namespace RigNotebooks.Bandwidth.Cases;

/// <summary>Device→device copies within each GPU's own memory (the local ceiling a peer copy is compared with).</summary>
public sealed class DeviceLocalCopyCase() : BandwidthCase(
    "device_local_copy",
    "bandwidth",
    "Copies between two buffers in one GPU's memory, per GPU",
    "bandwidth",
    "GB/s")
{
    public override IEnumerable<WorkItem> Plan(RigDescription rig, CaseSettings settings) => PerGpu(Key, rig);

    public override string? WhyNot(IRig rig, WorkItem item) => NeedsGpu(rig, item) ?? Capability<ICopyTimer>(rig);

    public override IReadOnlyDictionary<string, string> Parameters(WorkItem item, CaseSettings settings) =>
        new Dictionary<string, string> { ["size_bytes"] = Num(settings.Bandwidth.BufferBytes) };

    public override IEnumerable<ResultRow> Run(IRig rig, WorkItem item, CaseSettings settings, CancellationToken cancellationToken)
    {
        var spec = settings.Bandwidth;
        var timing = rig.Get<ICopyTimer>().Require().Time(
            new CopyRequest(CopyRoute.DeviceLocal, item.Gpu!.Value, null, spec.BufferBytes, spec.CopiesPerSample, spec.Samples, spec.WarmupCopies),
            cancellationToken);
        return BandwidthRows(item, timing, rig.Source, Parameters(item, settings));
    }
}
