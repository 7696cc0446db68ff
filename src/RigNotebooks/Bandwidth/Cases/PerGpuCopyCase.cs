using RigNotebooks.Bandwidth.Measurement;
using RigNotebooks.Model;
using RigNotebooks.Rigs;

namespace RigNotebooks.Bandwidth.Cases;

/// <summary>A bandwidth case that times copies on each GPU by itself (host↔device, within one GPU's memory): one item
/// per GPU, run by the rig's copy timer, with the buffer size as its parameter.</summary>
public abstract class PerGpuCopyCase(string key, string description) : BandwidthCase(key, "bandwidth", description, "bandwidth", "GB/s")
{
    public sealed override IEnumerable<WorkItem> Plan(RigDescription rig, CaseSettings settings) => PerGpu(Key, rig);

    public sealed override string? WhyNot(IRig rig, WorkItem item) => NeedsGpu(rig, item) ?? Capability<ICopyTimer>(rig);

    public sealed override IReadOnlyDictionary<string, string> Parameters(WorkItem item, CaseSettings settings) =>
        new Dictionary<string, string> { ["size_bytes"] = Num(settings.Bandwidth.BufferBytes) };

    /// <summary>Times the item's GPU with the spec's size, copies, samples and warm-up.</summary>
    protected static CopyTiming Time(IRig rig, WorkItem item, CaseSettings settings, CopyRoute route, HostMemory memory, CancellationToken cancellationToken)
    {
        var spec = settings.Bandwidth;
        return rig.Get<ICopyTimer>().Require().Time(
            new CopyRequest(route, item.Gpu!.Value, null, spec.BufferBytes, spec.CopiesPerSample, spec.Samples, spec.WarmupCopies, memory),
            cancellationToken);
    }
}
