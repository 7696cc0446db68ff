using RigNotebooks.Bandwidth.Measurement;
using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Rigs;

namespace RigNotebooks.Bandwidth.Cases;

/// <summary>DCGM's broken_p2p check for every ordered pair with peer access: a small, then a full-size peer copy of
/// a non-trivial pattern, read back and compared. A wrong copy is a <c>wrong</c> row carrying the count of wrong
/// bytes, plus the offset of the first one.</summary>
public sealed class PeerCorrectnessCase() : BandwidthCase(
    "peer_correctness",
    "bandwidth",
    "P2P data check: a small then a full-size peer copy of a pattern, read back and compared",
    "mismatched_bytes",
    "count")
{
    public override bool NeedsWatchdog => true;

    public override IEnumerable<WorkItem> Plan(RigDescription rig, CaseSettings settings)
    {
        var pairs = OrderedPairs(rig).ToList();
        return pairs.Count == 0 ? [new WorkItem(Key, P2P: true)] : pairs.Select(p => new WorkItem(Key, p.From, p.To, true));
    }

    public override string? WhyNot(IRig rig, WorkItem item) =>
        NeedsPair(rig, item) ?? NeedsPeerAccess(rig, item) ?? Capability<ICopyTimer>(rig);

    public override IReadOnlyDictionary<string, string> Parameters(WorkItem item, CaseSettings settings) =>
        SizeParameters(settings.Bandwidth.CheckSmallBytes);

    public override string HangGroup(WorkItem item) => PeerCopyCase.PeerHangGroup(true);

    public override string Describe(WorkItem item) => item is { Gpu: { } a, Peer: { } b } ? $"{Key} GPU {a}->{b}" : Key;

    public override IEnumerable<ResultRow> Run(IRig rig, WorkItem item, CaseSettings settings, CancellationToken cancellationToken)
    {
        var timer = rig.Get<ICopyTimer>().Require();
        var sizes = new[] { settings.Bandwidth.CheckSmallBytes, settings.Bandwidth.FullCheckBytes }.Distinct();
        foreach (var size in sizes)
        {
            var result = timer.CheckPeerCopy(new PeerCheckRequest(item.Gpu!.Value, item.Peer!.Value, size), cancellationToken);
            var parameters = SizeParameters(size);
            if (result.Intact)
            {
                yield return Row(Experiment, Key, item, "mismatched_bytes", 0, "count", rig.Source, parameters);
                continue;
            }

            var offset = result.FirstWrongOffsetBytes is { } o ? $"; first wrong byte at offset {o}" : string.Empty;
            yield return new ResultRow(DateTimeOffset.UtcNow, Experiment, Key, item.Gpu, item.Peer, "mismatched_bytes", result.MismatchedBytes, "count",
                RowStatus.Wrong, rig.Source, parameters, $"{result.MismatchedBytes} of {size} bytes wrong{offset}");
            if (result.FirstWrongOffsetBytes is { } first)
            {
                yield return new ResultRow(DateTimeOffset.UtcNow, Experiment, Key, item.Gpu, item.Peer, "first_wrong_offset", first, "bytes",
                    RowStatus.Wrong, rig.Source, parameters, "offset of the first wrong byte");
            }
        }
    }

    private static Dictionary<string, string> SizeParameters(long size) => new() { ["size_bytes"] = Num(size) };
}
