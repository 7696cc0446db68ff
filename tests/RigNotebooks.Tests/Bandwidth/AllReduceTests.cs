using RigNotebooks.Bandwidth;
using RigNotebooks.Bandwidth.Measurement;
using RigNotebooks.Data;
using RigNotebooks.Results;

namespace RigNotebooks.Tests.Bandwidth;

public sealed class AllReduceTests
{
    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 1.0)]
    [InlineData(3, 4.0 / 3)]
    [InlineData(4, 1.5)]
    [InlineData(8, 1.75)]
    public void Bus_bandwidth_factor_is_2_n_minus_1_over_n(int ranks, double factor) =>
        Assert.Equal(factor, AllReduceMath.BusFactor(ranks), 12);

    [Fact]
    public void Algorithm_and_bus_bandwidth_follow_nccl_tests_arithmetic()
    {
        // 256 MiB in 25 ms: algbw = 268435456 B / 25000 us = 10.737 GB/s; 3 ranks: busbw = 14.316 GB/s.
        Assert.Equal(10.73741824, AllReduceMath.AlgBwGBps(256L << 20, 25_000), 8);
        Assert.Equal(10.73741824 * 4 / 3, AllReduceMath.BusBwGBps(256L << 20, 25_000, 3), 8);
        Assert.True(double.IsNaN(AllReduceMath.AlgBwGBps(8, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => AllReduceMath.BusFactor(0));
    }

    [Fact]
    public void The_default_sweep_is_8_bytes_to_256_MiB_by_2()
    {
        var sizes = new AllReduceSpec().Sizes();
        Assert.Equal(8, sizes[0]);
        Assert.Equal(256L << 20, sizes[^1]);
        Assert.Equal(26, sizes.Count);
    }

    [Fact]
    public void Reference_rig_reports_busbw_per_size_with_p2p_on_and_off()
    {
        using var rig = TestRigs.Sim("blog-3x3090");
        var rows = Suites.AllReduce(rig).Rows;
        var report = AllReduceReport.From(rows);

        Assert.Equal(3, report.Ranks);
        Assert.Equal(26 * 2 * 2, report.Lines.Count);
        Assert.All(rows, r => Assert.Equal(RowStatus.Ok, r.Status));
        foreach (var line in report.Lines)
        {
            Assert.Equal(line.AlgBwGBps!.Value * 4 / 3, line.BusBwGBps!.Value, 9);
            Assert.Equal(line.SizeBytes / (line.TimeUs!.Value * 1e3), line.AlgBwGBps.Value, 9);
            Assert.Equal(0, line.Wrong);
        }

        var on = report.Lines.Where(l => l is { P2p: "on", InPlace: false }).OrderBy(l => l.SizeBytes).ToList();
        Assert.True(on[^1].BusBwGBps > on[0].BusBwGBps * 1000, "busbw climbs from latency-bound to bandwidth-bound");
        Assert.InRange(on[^1].BusBwGBps!.Value, 5, 12.1);
        var off = report.Lines.Single(l => l is { P2p: "off", InPlace: false, SizeBytes: 256L << 20 });
        Assert.True(on[^1].BusBwGBps > off.BusBwGBps, "staged through host memory is slower");
        Assert.True(report.AverageBusBwGBps["on"] > report.AverageBusBwGBps["off"]);
    }

    [Fact]
    public void Driver_545_hangs_all_reduce_with_p2p_but_not_with_nccl_p2p_disable()
    {
        using var rig = TestRigs.Sim("blog-3x3090-driver545");
        var rows = Suites.AllReduce(rig, new AllReduceSpec { MaxBytes = 1024 }, deadlineSeconds: 0.5).Rows;

        Assert.Single(rows, r => r.Status == RowStatus.Hung);
        Assert.All(rows.Where(r => r.Parameter("p2p") == "on"), r => Assert.NotEqual(RowStatus.Ok, r.Status));
        Assert.All(rows.Where(r => r.Parameter("p2p") == "off"), r => Assert.Equal(RowStatus.Ok, r.Status));
    }

    [Fact]
    public void On_the_iommu_rig_all_reduce_with_p2p_is_flagged_slower_than_with_nccl_p2p_disable()
    {
        using var rig = TestRigs.Sim("blog-3x3090-iommu");
        var rows = Suites.AllReduce(rig).Rows;

        var findings = BandwidthFindings.Examine(rows, rig.Describe(), ReferenceData.Default);

        var slower = Assert.Single(findings, f => f.Code == BandwidthFindings.SlowerThanOffCode);
        Assert.Contains("all-reduce bus bandwidth at 256 MiB: P2P on", slower.Evidence, StringComparison.Ordinal);
        Assert.Contains(findings, f => f.Code == BandwidthFindings.CorruptCode);
        var on = rows.Single(r => r is { Metric: "busbw", Status: RowStatus.Ok } && r.Parameter("p2p") == "on" && r.Parameter("size_bytes") == $"{256 << 20}" && r.Parameter("inplace") == "false");
        var off = rows.Single(r => r is { Metric: "busbw" } && r.Parameter("p2p") == "off" && r.Parameter("size_bytes") == $"{256 << 20}" && r.Parameter("inplace") == "false");
        Assert.True(on.Value < off.Value);
    }

    [Fact]
    public void On_the_fixed_reference_rig_all_reduce_with_p2p_is_not_flagged()
    {
        using var rig = TestRigs.Sim("blog-3x3090");
        var rows = Suites.AllReduce(rig).Rows;

        Assert.DoesNotContain(BandwidthFindings.Examine(rows, rig.Describe(), ReferenceData.Default), f => f.Code == BandwidthFindings.SlowerThanOffCode);
    }

    [Fact]
    public void A_riser_trained_down_to_gen1_limits_the_ring_to_its_rate()
    {
        using var healthy = TestRigs.Sim("blog-3x3090");
        using var riser = TestRigs.Sim("blog-3x3090-riser");
        var spec = new AllReduceSpec { MinBytes = 256L << 20 };

        double Largest(IReadOnlyList<RigNotebooks.Results.ResultRow> rows) =>
            rows.Single(r => r.Metric == "busbw" && r.Parameter("p2p") == "on" && r.Parameter("inplace") == "false").Value;

        var ratio = Largest(Suites.AllReduce(riser, spec).Rows) / Largest(Suites.AllReduce(healthy, spec).Rows);
        Assert.InRange(ratio, 0.2, 0.35);
    }

    [Fact]
    public void One_gpu_all_reduce_runs_with_zero_bus_traffic_and_waives_p2p_off()
    {
        using var rig = SimulatedBandwidthTests.OneGpuRig();
        var rows = Suites.AllReduce(rig, new AllReduceSpec { MaxBytes = 1 << 20 }).Rows;

        Assert.All(rows.Where(r => r.Parameter("p2p") == "on" && r.Metric == "busbw"), r => Assert.Equal(0, r.Value));
        Assert.All(rows.Where(r => r.Parameter("p2p") == "on" && r.Metric == "algbw"), r => Assert.True(r.Value > 0));
        Assert.All(rows.Where(r => r.Parameter("p2p") == "off"), r =>
        {
            Assert.Equal(RowStatus.Waived, r.Status);
            Assert.Contains("one GPU", r.Note);
        });
    }
}
