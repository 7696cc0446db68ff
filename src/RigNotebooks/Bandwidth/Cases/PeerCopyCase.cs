using RigNotebooks.Bandwidth.Measurement;
using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Rigs;

namespace RigNotebooks.Bandwidth.Cases;

/// <summary>GPU→GPU copies for every ordered pair, with P2P enabled (direct DMA) and disabled (staged through host
/// memory), one way or both ways at once (then the bandwidth is the sum of both directions, as
/// p2pBandwidthLatencyTest reports it). Pairs without peer access are waived for P2P on.</summary>
public sealed class PeerCopyCase(bool bidirectional) : BandwidthCase(
    bidirectional ? "peer_bidirectional" : "peer_unidirectional",
    "bandwidth",
    bidirectional
        ? "GPU<->GPU copies both ways at once (sum of both directions), P2P on and off, every ordered pair"
        : "GPU->GPU copies, P2P on and off, every ordered pair",
    "bandwidth",
    "GB/s")
{
    public bool Bidirectional { get; } = bidirectional;

    public override bool NeedsWatchdog => true;

    public override IEnumerable<WorkItem> Plan(RigDescription rig, CaseSettings settings) =>
        from p2p in OnThenOff
        from item in PairItems(rig, p2p)
        select item;

    public override string? WhyNot(IRig rig, WorkItem item) =>
        NeedsPair(rig, item) ?? NeedsPeerAccess(rig, item) ?? Capability<ICopyTimer>(rig);

    public override IReadOnlyDictionary<string, string> Parameters(WorkItem item, CaseSettings settings) =>
        new Dictionary<string, string> { ["p2p"] = OnOff(item.P2P ?? true), ["size_bytes"] = Num(settings.Bandwidth.BufferBytes) };

    public override string HangGroup(WorkItem item) => PeerHangGroup(item.P2P ?? true);

    public override IEnumerable<ResultRow> Run(IRig rig, WorkItem item, CaseSettings settings, CancellationToken cancellationToken)
    {
        var spec = settings.Bandwidth;
        var timing = rig.Get<ICopyTimer>().Require().Time(
            new CopyRequest(CopyRoute.Peer, item.Gpu!.Value, item.Peer, spec.BufferBytes, spec.CopiesPerSample, spec.Samples, spec.WarmupCopies,
                PeerAccess: item.P2P ?? true, Bidirectional: Bidirectional),
            cancellationToken);
        return BandwidthRows(item, timing, rig.Source, Parameters(item, settings));
    }

    /// <summary>Peer transfers with P2P on hang together (a broken driver); staged ones are a different path.</summary>
    internal static string PeerHangGroup(bool p2p) => p2p ? "peer-p2p-on" : "peer-p2p-off";

    private IEnumerable<WorkItem> PairItems(RigDescription rig, bool p2p)
    {
        var pairs = OrderedPairs(rig).ToList();
        return pairs.Count == 0
            ? [new WorkItem(Key, P2P: p2p)]
            : pairs.Select(p => new WorkItem(Key, p.From, p.To, p2p));
    }
}
