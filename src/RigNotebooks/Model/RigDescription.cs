namespace RigNotebooks.Model;

/// <summary>Everything static about a rig: what <c>rig topo</c> and <c>rig doctor</c> read.</summary>
public sealed record RigDescription(
    string RigId,
    DataSource Source,
    IReadOnlyList<GpuInfo> Gpus,
    IReadOnlyList<PcieBridge> Bridges,
    IReadOnlyList<GpuPair> Pairs,
    PlatformInfo Platform,
    IReadOnlyList<PsuInfo> Psus,
    CoolingInfo? Cooling,
    IReadOnlyList<UnknownFact> Unknowns)
{
    public GpuPair Pair(int from, int to) =>
        Pairs.FirstOrDefault(p => p.From == from && p.To == to)
        ?? throw new ArgumentOutOfRangeException(nameof(to), $"No GPU pair {from}->{to} on {RigId}.");

    public PcieBridge? Bridge(string id) => Bridges.FirstOrDefault(b => b.Id == id);

    public IEnumerable<GpuPair> PeerPairs => Pairs.Where(p => p.From != p.To);
}
