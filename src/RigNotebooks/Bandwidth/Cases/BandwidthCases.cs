using RigNotebooks.Bandwidth.Measurement;
using RigNotebooks.Errors;
using RigNotebooks.Model;

namespace RigNotebooks.Bandwidth.Cases;

/// <summary>The kit's test cases by key: host copies, the device-local copy, the P2P data check, then the peer
/// bandwidth and latency matrices.</summary>
public static class BandwidthCases
{
    public static IReadOnlyList<BandwidthCase> BandwidthSuite { get; } =
    [
        new HostCopyCase(CopyRoute.HostToDevice, HostMemory.Pinned),
        new HostCopyCase(CopyRoute.DeviceToHost, HostMemory.Pinned),
        new HostCopyCase(CopyRoute.HostToDevice, HostMemory.Pageable),
        new HostCopyCase(CopyRoute.DeviceToHost, HostMemory.Pageable),
        new DeviceLocalCopyCase(),
        new PeerCorrectnessCase(),
        new PeerCopyCase(bidirectional: false),
        new PeerCopyCase(bidirectional: true),
        new PeerLatencyCase(),
    ];

    public static AllReduceCase AllReduce { get; } = new();

    public static IReadOnlyList<BandwidthCase> All { get; } = [.. BandwidthSuite, AllReduce];

    public static BandwidthCase Find(string key) =>
        All.FirstOrDefault(c => string.Equals(c.Key, key, StringComparison.OrdinalIgnoreCase))
        ?? throw new RigInputException($"Unknown case '{key}'. Cases: {string.Join(", ", All.Select(c => c.Key))}.");

    /// <summary>The work items of `rig bandwidth` on a rig: the host and local copies, then every peer case with P2P
    /// off, then with P2P on — the data check first — as p2pBandwidthLatencyTest orders its matrices. A driver that
    /// hangs peer transfers is thus met once everything that can be measured has been, in the same worker.</summary>
    public static IReadOnlyList<WorkItem> PlanBandwidth(RigDescription rig, CaseSettings settings)
    {
        var wanted = settings.Bandwidth.Cases?.Select(Find).ToList();
        var cases = BandwidthSuite
            .Where(c => wanted is null ? settings.Bandwidth.IncludePageable || !IsPageable(c) : wanted.Contains(c))
            .ToList();
        return cases.SelectMany(c => c.Plan(rig, settings))
            .OrderBy(i => i.P2P switch { null => 0, false => 1, true => 2 })
            .ToList();
    }

    /// <summary>The work items of `rig allreduce` on a rig.</summary>
    public static IReadOnlyList<WorkItem> PlanAllReduce(RigDescription rig, CaseSettings settings) =>
        AllReduce.Plan(rig, settings).ToList();

    private static bool IsPageable(BandwidthCase c) => c is HostCopyCase { Memory: HostMemory.Pageable };
}
