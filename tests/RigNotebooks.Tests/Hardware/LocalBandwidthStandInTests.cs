using RigNotebooks.Bandwidth;
using RigNotebooks.Bandwidth.Execution;
using RigNotebooks.Hardware;
using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Rigs;
using RigNotebooks.Tests.Support;

namespace RigNotebooks.Tests.Hardware;

/// <summary>`rig bandwidth` on the local rig over the stand-in NVML and libcuda and the X399 fixture tree (invented
/// values): the real timer is wired into the rig, host cases run, a GPU the CUDA driver does not list fails with the
/// reason, and without the watchdog's child process a real rig's peer cases are waived, never run unguarded.</summary>
[Collection(StandInCollection.Name)]
public sealed class LocalBandwidthStandInTests
{
    [Fact]
    public async Task Host_cases_run_on_the_local_rig_and_peer_cases_are_waived_without_a_watchdog_child()
    {
        _ = StandInLibraries.Instance;
        using var rig = LocalRig.Open(RigOpenOptions.Default, new LocalRigOptions(RepoPaths.Fixture("sysfs-x399-3gpu")));
        var spec = new BandwidthSpec { BufferBytes = 1 << 20, CopiesPerSample = 2, Samples = 2, WarmupCopies = 1, Cases = ["host_to_device_pinned", "peer_unidirectional"] };

        var result = await BandwidthExperiment.RunBandwidthAsync(rig, spec, options: new SuiteRunOptions(WorkerMode.InProcess));
        var rows = result.Suite.Rows;

        Assert.All(rows, r => Assert.Equal(DataSource.Measured, r.Source));
        var h2d = rows.Single(r => r is { Case: "host_to_device_pinned", Gpu: 0, Metric: "bandwidth" });
        Assert.Equal(RowStatus.Ok, h2d.Status);
        Assert.Equal((2 << 20) / 1.25e-3 / 1e9, h2d.Value, 9);
        Assert.Equal(1, rows.Single(r => r is { Case: "host_to_device_pinned", Gpu: 1, Metric: "link_gen" }).Value);
        var missing = rows.Single(r => r is { Case: "host_to_device_pinned", Gpu: 2 });
        Assert.Equal(RowStatus.Failed, missing.Status);
        Assert.Contains("0000:41:00.0", missing.Note);
        var peer = rows.Where(r => r.Case == "peer_unidirectional").ToList();
        Assert.Equal(12, peer.Count);
        Assert.All(peer, r => Assert.StartsWith("needs the watchdog's child process", r.Note));
        Assert.Contains(result.Findings, f => f.Code == BandwidthFindings.LinkDuringTestCode && f.Evidence.Contains("GPU 1 ran its copies at Gen1 x8", StringComparison.Ordinal));
    }
}
