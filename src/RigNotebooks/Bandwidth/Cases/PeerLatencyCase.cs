using RigNotebooks.Bandwidth.Measurement;
using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Rigs;

namespace RigNotebooks.Bandwidth.Cases;

/// <summary>GPU→GPU latency of tiny copies for every ordered pair, P2P on and off (p2pBandwidthLatencyTest's
/// latency matrices).</summary>
public sealed class PeerLatencyCase() : BandwidthCase(
    "peer_latency",
    "bandwidth",
    "GPU->GPU latency of tiny copies, P2P on and off, every ordered pair",
    "latency",
    "us")
{
    public override bool NeedsWatchdog => true;

    public override IEnumerable<WorkItem> Plan(RigDescription rig, CaseSettings settings)
    {
        var pairs = OrderedPairs(rig).ToList();
        foreach (var p2p in OnThenOff)
        {
            if (pairs.Count == 0)
            {
                yield return new WorkItem(Key, P2P: p2p);
            }

            foreach (var (from, to) in pairs)
            {
                yield return new WorkItem(Key, from, to, p2p);
            }
        }
    }

    public override string? WhyNot(IRig rig, WorkItem item) =>
        NeedsPair(rig, item) ?? NeedsPeerAccess(rig, item) ?? Capability<ICopyTimer>(rig);

    public override IReadOnlyDictionary<string, string> Parameters(WorkItem item, CaseSettings settings) =>
        new Dictionary<string, string> { ["p2p"] = OnOff(item.P2P ?? true) };

    public override string HangGroup(WorkItem item) => PeerCopyCase.PeerHangGroup(item.P2P ?? true);

    public override IEnumerable<ResultRow> Run(IRig rig, WorkItem item, CaseSettings settings, CancellationToken cancellationToken)
    {
        var spec = settings.Bandwidth;
        var timing = rig.Get<ICopyTimer>().Require().Latency(
            new LatencyRequest(item.Gpu!.Value, item.Peer!.Value, item.P2P ?? true, spec.LatencyIterations, spec.LatencySamples),
            cancellationToken);
        var stats = SampleStats.Of(timing.SampleMicroseconds);
        var parameters = Parameters(item, settings);
        yield return Row(Experiment, Key, item, "latency", stats.Median, "us", rig.Source, parameters);
        yield return Row(Experiment, Key, item, "latency_min", stats.Min, "us", rig.Source, parameters);
        yield return Row(Experiment, Key, item, "latency_max", stats.Max, "us", rig.Source, parameters);
    }
}
