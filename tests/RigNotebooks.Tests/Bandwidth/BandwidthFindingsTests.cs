using RigNotebooks.Bandwidth;
using RigNotebooks.Data;
using RigNotebooks.Doctor;
using RigNotebooks.Model;
using RigNotebooks.Results;

namespace RigNotebooks.Tests.Bandwidth;

/// <summary>The findings a bandwidth run can raise, from rows written by hand (each rule must be able to fire).</summary>
public sealed class BandwidthFindingsTests
{
    private static readonly RigDescription Rig = TestRigs.Sim("blog-3x3090").Describe();

    private static ResultRow Ok(string @case, int gpu, int? peer, string metric, double value, string? p2p = null) =>
        ResultRow.Ok("bandwidth", @case, gpu, peer, metric, value, metric.StartsWith("link", StringComparison.Ordinal) ? "count" : "GB/s", DataSource.Measured,
            p2p is null ? null : new Dictionary<string, string> { ["p2p"] = p2p });

    private static IReadOnlyList<Finding> Examine(params ResultRow[] rows) => BandwidthFindings.Examine(rows, Rig, ReferenceData.Default);

    [Fact]
    public void A_healthy_run_has_no_findings() =>
        Assert.Empty(Examine(
            Ok("host_to_device_pinned", 0, null, "bandwidth", 12.1),
            Ok("host_to_device_pinned", 0, null, "link_gen", 3),
            Ok("host_to_device_pinned", 0, null, "link_width", 16),
            Ok("peer_unidirectional", 0, 1, "bandwidth", 12.1, "on"),
            Ok("peer_unidirectional", 0, 1, "bandwidth", 5.4, "off")));

    [Fact]
    public void A_link_at_gen1_under_load_is_a_warning()
    {
        var finding = Assert.Single(Examine(Ok("host_to_device_pinned", 1, null, "link_gen", 1), Ok("host_to_device_pinned", 1, null, "link_width", 16)));
        Assert.Equal((BandwidthFindings.LinkDuringTestCode, Severity.Warning), (finding.Code, finding.Severity));
        Assert.Contains("GPU 1 ran its copies at Gen1 x16 (max Gen3 x16)", finding.Evidence);
    }

    [Fact]
    public void P2p_slower_than_staged_names_the_pair_and_both_figures()
    {
        var finding = Assert.Single(Examine(Ok("peer_unidirectional", 2, 0, "bandwidth", 1.8, "on"), Ok("peer_unidirectional", 2, 0, "bandwidth", 5.4, "off")));
        Assert.Equal(BandwidthFindings.SlowerThanOffCode, finding.Code);
        Assert.Contains("GPU 2->0: P2P on 1.8 GB/s vs off 5.4 GB/s", finding.Evidence);
        Assert.Contains("iommu=pt", finding.Remedy);
    }

    [Fact]
    public void A_crash_is_an_error_and_another_failure_a_warning()
    {
        var crash = ResultRow.NotMeasured(RowStatus.Failed, "bandwidth", "peer_bidirectional", 0, 1, "bandwidth", "GB/s", DataSource.Measured, "crashed: the worker (pid 9) ended with exit code 139");
        var failure = ResultRow.NotMeasured(RowStatus.Failed, "bandwidth", "host_to_device_pinned", 0, null, "bandwidth", "GB/s", DataSource.Measured, "CudaException: out of memory");
        var findings = Examine(crash, failure);

        Assert.Equal(Severity.Error, findings.Single(f => f.Code == BandwidthFindings.CrashCode).Severity);
        Assert.Equal(Severity.Warning, findings.Single(f => f.Code == BandwidthFindings.FailedCode).Severity);
        Assert.Contains("out of memory", findings.Single(f => f.Code == BandwidthFindings.FailedCode).Evidence);
    }

    [Fact]
    public void Wrong_all_reduce_data_is_the_corruption_finding()
    {
        var wrong = new ResultRow(DateTimeOffset.UtcNow, "allreduce", "allreduce", null, null, "wrong", 12, "count", RowStatus.Wrong, DataSource.Measured,
            new Dictionary<string, string> { ["size_bytes"] = "1048576", ["p2p"] = "on" }, "12 of 262144 elements wrong");
        var finding = Assert.Single(Examine(wrong));
        Assert.Equal((BandwidthFindings.CorruptCode, Severity.Error), (finding.Code, finding.Severity));
        Assert.Contains("all-reduce 1048576 B p2p=on: 12 elements wrong", finding.Evidence);
    }

    [Fact]
    public void A_hang_on_a_driver_without_a_known_issue_gives_the_general_remedies()
    {
        var hung = ResultRow.NotMeasured(RowStatus.Hung, "allreduce", "allreduce", null, null, "busbw", "GB/s", DataSource.Measured, "hung after 60 s",
            new Dictionary<string, string> { ["size_bytes"] = "8", ["p2p"] = "on" });
        var finding = Assert.Single(Examine(hung));
        Assert.Equal("All-reduce hangs: the collective never completes", finding.Title);
        Assert.StartsWith("Try, in order: IOMMU off", finding.Remedy);
    }
}
