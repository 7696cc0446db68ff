using System.Globalization;
using RigNotebooks.Model;
using RigNotebooks.Profiles;

namespace RigNotebooks.Simulation.Physics;

/// <summary>
/// The simulated rig's transfers: host&lt;-&gt;device, within a GPU, GPU-to-GPU with P2P on or off, and ring
/// all-reduce. Rates are link generation × width × achieved efficiency along the path the topology implies;
/// the profile's faults (hang, corrupt, slow) change what peer transfers do. Constants: <see cref="LinkEfficiency"/>.
/// </summary>
public sealed class InterconnectModel
{
    private readonly RigDescription rig;
    private readonly FaultSpec faults;
    private readonly Func<int, double> memoryBandwidthGBps;

    public InterconnectModel(SimulatedRig simulated)
        : this(simulated.Describe(), simulated.Profile.Faults, i => simulated.ModelOf(i).MemoryBandwidthGBps)
    {
    }

    public InterconnectModel(RigDescription rig, FaultSpec faults, Func<int, double> memoryBandwidthGBps)
    {
        this.rig = rig;
        this.faults = faults;
        this.memoryBandwidthGBps = memoryBandwidthGBps;
    }

    /// <summary>NCCL's ring all-reduce reaches this fraction of the slowest ring link's copy rate:
    /// 6x RTX 4090 on PCIe 4.0 with P2P measured 24.6 GB/s busbw at 32 MiB against ~26 GB/s per link
    /// (REFERENCE.md §5, tinygrad/open-gpu-kernel-modules README).</summary>
    public const double NcclRingEfficiency = 0.94;

    /// <summary>Per ring step, NCCL adds kernel and protocol overhead to the link latency: assumption, 3 us,
    /// so that an 8-byte all-reduce over 3 PCIe GPUs takes a few tens of microseconds as nccl-tests show on such rigs.</summary>
    public const double NcclStepOverheadUs = 3.0;

    /// <summary>A single-rank all-reduce still launches a kernel: assumption, 5 us.</summary>
    public const double SingleRankOverheadUs = 5.0;

    public double HostToDeviceGBps(int gpu, bool pinned) => HostRate(gpu, pinned);

    public double DeviceToHostGBps(int gpu, bool pinned) => HostRate(gpu, pinned);

    /// <summary>Copy rate within one GPU's memory (bytes copied per second).</summary>
    public double DeviceLocalCopyGBps(int gpu) => memoryBandwidthGBps(gpu) * LinkEfficiency.DeviceLocalCopyFraction;

    /// <summary>The GPU's own link under load: what host copies see (the idle Gen1 drop is not modelled: the
    /// kit's tests warm the GPU first).</summary>
    public PcieLink LinkUnderLoad(int gpu) => rig.Gpus[gpu].Link;

    public PeerPathEstimate Peer(int source, int destination, bool p2p, bool bidirectional)
    {
        var pair = rig.Pair(source, destination);
        if (source == destination)
        {
            var local = DeviceLocalCopyGBps(source);
            return new PeerPathEstimate(true, local, 0, false, false, null, $"same GPU: device-local copy {F(local)} GB/s");
        }

        var (bottleneck, hops) = Bottleneck(source, destination);
        var pathFactor = PathFactor(pair.Relation);
        var linkRate = bottleneck.CurrentRawGBps * LinkEfficiency.Achieved(bottleneck.CurrentGen) * pathFactor;
        var pathText = $"path {hops} via {pair.Relation.Describe()} ({pair.Relation.ToTopoCode()}); bottleneck {bottleneck.Current} = {F(bottleneck.CurrentRawGBps)} GB/s raw x {F(LinkEfficiency.Achieved(bottleneck.CurrentGen))} achieved" +
                       (pathFactor < 1 ? $" x {F(pathFactor)} path factor" : string.Empty);

        if (!p2p)
        {
            var staged = Math.Min(HostRate(source, pinned: true), HostRate(destination, pinned: true)) * LinkEfficiency.StagedThroughHostFraction * pathFactor;
            var latency = LinkEfficiency.StagedLatencyUs + (pair.Relation == GpuRelation.AcrossNumaNodes ? LinkEfficiency.AcrossNumaExtraStagedLatencyUs : 0);
            var rate = bidirectional ? staged * LinkEfficiency.BidirectionalFactorStaged : staged;
            return new PeerPathEstimate(true, rate, latency, false, false, null,
                $"P2P off: staged through pinned host memory at {F(LinkEfficiency.StagedThroughHostFraction)} of the host link rate = {F(staged)} GB/s" +
                (bidirectional ? $", x {F(LinkEfficiency.BidirectionalFactorStaged)} both directions" : string.Empty) + $"; {pathText}");
        }

        if (!pair.P2P.Supported)
        {
            return new PeerPathEstimate(false, double.NaN, double.NaN, false, false, null, $"no peer access: {pair.P2P.Reason}");
        }

        var factor = faults.PeerBandwidthFactor ?? 1.0;
        var uni = linkRate * factor;
        var p2pLatency = LinkEfficiency.P2PLatencyUs
                         + (pair.Relation == GpuRelation.AcrossNumaNodes ? LinkEfficiency.AcrossNumaExtraP2PLatencyUs : 0)
                         + (rig.Platform.Iommu == IommuMode.Translating ? LinkEfficiency.IommuTranslationExtraLatencyUs : 0);
        var text = $"P2P on: {pathText} = {F(linkRate)} GB/s" +
                   (factor < 1 ? $"; fault: peer DMA at {F(factor)} of that ({faults.Notes})" : string.Empty) +
                   (faults.PeerCopiesHang ? "; fault: peer transfers never complete" : string.Empty) +
                   (faults.PeerCopiesCorrupt ? $"; fault: bytes from offset {LinkEfficiency.CorruptFromOffsetBytes} on arrive wrong" : string.Empty);
        return new PeerPathEstimate(
            true,
            bidirectional ? uni * LinkEfficiency.BidirectionalFactorP2P : uni,
            p2pLatency,
            faults.PeerCopiesHang,
            faults.PeerCopiesCorrupt,
            faults.PeerCopiesCorrupt ? LinkEfficiency.CorruptFromOffsetBytes : null,
            text);
    }

    /// <summary>A ring all-reduce over <paramref name="gpus"/> (in ring order) of <paramref name="bytes"/> per rank:
    /// time = 2(n-1) steps of latency + 2(n-1)/n × bytes over the slowest ring link at NCCL's ring efficiency.
    /// With P2P off (NCCL_P2P_DISABLE=1) every hop is staged through host memory.</summary>
    public AllReduceEstimate AllReduce(IReadOnlyList<int> gpus, long bytes, bool p2p)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        var n = gpus.Count;
        ArgumentOutOfRangeException.ThrowIfZero(n);
        if (n == 1)
        {
            var time = SingleRankOverheadUs + (bytes / (DeviceLocalCopyGBps(gpus[0]) * 1e3));
            return new AllReduceEstimate(1, bytes, time, bytes / (time * 1e3), 0, false, false,
                $"1 rank: no communication; a kernel launch ({F(SingleRankOverheadUs)} us) and a local copy");
        }

        var edges = Enumerable.Range(0, n)
            .Select(i => (From: gpus[i], To: gpus[(i + 1) % n]))
            .Select(e => (e.From, e.To, Path: p2p && rig.Pair(e.From, e.To).P2P.Supported ? Peer(e.From, e.To, true, false) : Peer(e.From, e.To, false, false)))
            .ToList();
        var slowest = edges.MinBy(e => e.Path.BandwidthGBps);
        var busRate = slowest.Path.BandwidthGBps * NcclRingEfficiency;
        var stepLatency = edges.Max(e => e.Path.LatencyUs) + NcclStepOverheadUs;
        var factor = AllReduceEstimate.BusFactor(n);
        var timeUs = (2 * (n - 1) * stepLatency) + (factor * bytes / (busRate * 1e3));
        var algbw = bytes / (timeUs * 1e3);
        var hangs = edges.Any(e => e.Path.Hangs);
        var corrupts = edges.Any(e => e.Path.Corrupts) && bytes > LinkEfficiency.CorruptFromOffsetBytes;
        var explanation = $"ring of {n} over GPU {string.Join("->", gpus)}->{gpus[0]}; slowest link GPU {slowest.From}->{slowest.To} {F(slowest.Path.BandwidthGBps)} GB/s x {F(NcclRingEfficiency)} NCCL ring efficiency = {F(busRate)} GB/s bus rate; " +
                          $"{2 * (n - 1)} steps x {F(stepLatency)} us; time = {F(timeUs)} us; busbw = algbw x 2(n-1)/n = {F(algbw * factor)} GB/s" +
                          (p2p ? string.Empty : "; P2P off: every hop staged through host memory (NCCL_P2P_DISABLE=1)");
        return new AllReduceEstimate(n, bytes, timeUs, algbw, algbw * factor, hangs, corrupts, explanation);
    }

    private double HostRate(int gpu, bool pinned)
    {
        var link = rig.Gpus[gpu].Link;
        var rate = link.CurrentRawGBps * LinkEfficiency.Achieved(link.CurrentGen);
        return pinned ? rate : rate * LinkEfficiency.PageableFraction;
    }

    private static double PathFactor(GpuRelation relation) => relation switch
    {
        GpuRelation.AcrossNumaNodes => LinkEfficiency.AcrossNumaFactor,
        GpuRelation.SameNumaNode => LinkEfficiency.SameNumaNodeFactor,
        _ => 1.0,
    };

    /// <summary>The slowest link on the PCIe path between two GPUs: each GPU's own link and the bridge links
    /// up to their common ancestor (or up to their host bridges when they have none).</summary>
    private (PcieLink Link, string Hops) Bottleneck(int a, int b)
    {
        var ga = rig.Gpus[a];
        var gb = rig.Gpus[b];
        var common = ga.UpstreamBridgeIds.FirstOrDefault(gb.UpstreamBridgeIds.Contains);
        var links = new List<(string Name, PcieLink Link)> { ($"GPU{a}", ga.Link), ($"GPU{b}", gb.Link) };
        foreach (var id in ga.UpstreamBridgeIds.TakeWhile(id => id != common).Concat(gb.UpstreamBridgeIds.TakeWhile(id => id != common)))
        {
            if (rig.Bridge(id)?.Link is { } link)
            {
                links.Add((id, link));
            }
        }

        var slowest = links.MinBy(l => l.Link.CurrentRawGBps);
        return (slowest.Link, $"GPU{a}->GPU{b} (slowest: {slowest.Name})");
    }

    private static string F(double value) => value.ToString(value >= 100 ? "0" : value >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture);
}
