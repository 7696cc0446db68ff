using RigNotebooks.Bandwidth;
using RigNotebooks.Bandwidth.Cases;
using RigNotebooks.Bandwidth.Execution;
using RigNotebooks.Results;
using RigNotebooks.Rigs;

namespace RigNotebooks.Tests.Bandwidth;

/// <summary>Runs the suites on simulated rigs in this process (the child-process path is covered by the watchdog
/// tests with a test double and by the CLI's process tests).</summary>
internal static class Suites
{
    public static SuiteOutcome Bandwidth(IRig rig, BandwidthSpec? spec = null, double? deadlineSeconds = null)
    {
        var settings = new CaseSettings(spec ?? new BandwidthSpec(), new AllReduceSpec());
        var items = BandwidthCases.PlanBandwidth(rig.Describe(), settings);
        return new SuiteRunner(new SuiteRunOptions(WorkerMode.InProcess, deadlineSeconds)).Run(rig, settings, items);
    }

    public static SuiteOutcome AllReduce(IRig rig, AllReduceSpec? spec = null, double? deadlineSeconds = null)
    {
        var settings = new CaseSettings(new BandwidthSpec(), spec ?? new AllReduceSpec());
        var items = BandwidthCases.PlanAllReduce(rig.Describe(), settings);
        return new SuiteRunner(new SuiteRunOptions(WorkerMode.InProcess, deadlineSeconds)).Run(rig, settings, items);
    }

    public static ResultRow One(this IEnumerable<ResultRow> rows, string @case, string metric, int? gpu = null, int? peer = null, string? p2p = null) =>
        rows.Single(r => r.Case == @case && r.Metric == metric && r.Gpu == gpu && r.Peer == peer && (p2p is null || r.Parameter("p2p") == p2p));
}
