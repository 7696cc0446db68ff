using RigNotebooks.Bandwidth;
using RigNotebooks.Bandwidth.Cases;
using RigNotebooks.Bandwidth.Execution;
using RigNotebooks.Data;
using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Simulation;

namespace RigNotebooks.Tests.Bandwidth;

public sealed class SimulatedBandwidthTests
{
    private const double Gen3x16RawGBps = 15.75;

    [Fact]
    public void Every_case_of_the_suite_yields_rows_on_the_reference_rig_all_simulated_and_ok()
    {
        using var rig = TestRigs.Sim("blog-3x3090");
        var rows = Suites.Bandwidth(rig).Rows;

        foreach (var c in BandwidthCases.BandwidthSuite)
        {
            Assert.Contains(rows, r => r.Case == c.Key);
        }

        Assert.All(rows, r => Assert.Equal(DataSource.Simulated, r.Source));
        Assert.All(rows, r => Assert.Equal(RowStatus.Ok, r.Status));
    }

    [Fact]
    public void Host_copies_follow_pcie_3_x16_physics_and_record_the_link_during_the_test()
    {
        using var rig = TestRigs.Sim("blog-3x3090");
        var rows = Suites.Bandwidth(rig).Rows;

        for (var gpu = 0; gpu < 3; gpu++)
        {
            var h2d = rows.One("host_to_device_pinned", "bandwidth", gpu).Value;
            var d2h = rows.One("device_to_host_pinned", "bandwidth", gpu).Value;
            Assert.InRange(h2d, 11.0, Gen3x16RawGBps);
            Assert.InRange(d2h, 11.0, Gen3x16RawGBps);
            Assert.True(rows.One("host_to_device_pageable", "bandwidth", gpu).Value < h2d, "pageable copies are staged by the driver: slower than pinned");
            Assert.Equal(3, rows.One("host_to_device_pinned", "link_gen", gpu).Value);
            Assert.Equal(16, rows.One("host_to_device_pinned", "link_width", gpu).Value);
            Assert.True(rows.One("device_local_copy", "bandwidth", gpu).Value > 100, "a copy within GDDR6X memory is far faster than PCIe");
        }
    }

    [Fact]
    public void Peer_matrices_have_every_ordered_pair_p2p_on_beats_staged_and_bidirectional_beats_one_way()
    {
        using var rig = TestRigs.Sim("blog-3x3090");
        var report = BandwidthReport.From(Suites.Bandwidth(rig).Rows, 3);

        for (var a = 0; a < 3; a++)
        {
            for (var b = 0; b < 3; b++)
            {
                if (a == b)
                {
                    Assert.Null(report.Unidirectional.P2pOn[a][b]);
                    continue;
                }

                var on = report.Unidirectional.P2pOn[a][b]!.Value;
                var off = report.Unidirectional.P2pOff[a][b]!.Value;
                Assert.InRange(on, 9.0, Gen3x16RawGBps);
                Assert.True(on > off, $"GPU {a}->{b}: P2P on {on} should beat staged {off}");
                Assert.True(report.Bidirectional.P2pOn[a][b] > on, "both directions at once move more bytes");
                Assert.True(report.Latency.P2pOn[a][b] < report.Latency.P2pOff[a][b], "P2P latency is lower than staged");
            }
        }

        // GPU 0 and 1 share die 0, GPU 2 sits on die 1: the cross-die path is slower (the profile's topology).
        Assert.True(report.Unidirectional.P2pOn[0][1] > report.Unidirectional.P2pOn[0][2]);
        Assert.All(report.Correctness, c => Assert.Equal(0, c.MismatchedBytes));
        Assert.Equal(12, report.Correctness.Count);
    }

    [Fact]
    public void Driver_545_hangs_the_first_peer_copy_the_watchdog_records_it_and_skips_the_rest_of_that_path()
    {
        using var rig = TestRigs.Sim("blog-3x3090-driver545");
        var outcome = Suites.Bandwidth(rig, deadlineSeconds: 0.5);
        var rows = outcome.Rows;

        var hung = Assert.Single(rows, r => r.Status == RowStatus.Hung);
        Assert.Equal("peer_correctness", hung.Case);
        Assert.StartsWith("hung after ", hung.Note);
        Assert.EndsWith(" s", hung.Note);
        Assert.All(rows.Where(r => r.Parameter("p2p") == "on"), r => Assert.Equal(RowStatus.Waived, r.Status));
        Assert.Contains(rows, r => r.Status == RowStatus.Waived && r.Note!.StartsWith("not attempted: peer_correctness GPU 0->1 hung after", StringComparison.Ordinal));
        Assert.All(rows.Where(r => r.Parameter("p2p") == "off"), r => Assert.Equal(RowStatus.Ok, r.Status));
        Assert.Contains(rows, r => r is { Case: "host_to_device_pinned", Status: RowStatus.Ok });

        var finding = Assert.Single(BandwidthFindings.Examine(rows, rig.Describe(), ReferenceData.Default), f => f.Code == BandwidthFindings.HangCode);
        Assert.Equal(RigNotebooks.Doctor.Severity.Error, finding.Severity);
        Assert.Contains("535", finding.Remedy);
        Assert.Contains("NCCL_P2P_DISABLE", finding.Remedy);
    }

    [Fact]
    public void Iommu_translation_makes_p2p_slower_than_staged_and_large_peer_copies_read_back_wrong()
    {
        using var rig = TestRigs.Sim("blog-3x3090-iommu");
        var rows = Suites.Bandwidth(rig).Rows;
        var report = BandwidthReport.From(rows, 3);

        Assert.True(report.Unidirectional.P2pOn[0][1] < report.Unidirectional.P2pOff[0][1]);
        var small = report.Correctness.Single(c => c is { Gpu: 0, Peer: 1, SizeBytes: 8 });
        var full = report.Correctness.Single(c => c is { Gpu: 0, Peer: 1 } && c.SizeBytes == BandwidthSpec.DefaultBufferBytes);
        Assert.Equal(0, small.MismatchedBytes);
        Assert.Equal(BandwidthSpec.DefaultBufferBytes - 4096, full.MismatchedBytes);
        Assert.Equal(4096, full.FirstWrongOffsetBytes);
        Assert.Contains(rows, r => r is { Metric: "mismatched_bytes", Status: RowStatus.Wrong });

        var codes = BandwidthFindings.Examine(rows, rig.Describe(), ReferenceData.Default).Select(f => f.Code).ToList();
        Assert.Contains(BandwidthFindings.SlowerThanOffCode, codes);
        Assert.Contains(BandwidthFindings.CorruptCode, codes);
    }

    [Fact]
    public void A_riser_trained_down_to_gen1_quarters_host_copies_to_its_gpu_slows_peer_paths_through_it_and_is_flagged_under_load()
    {
        using var rig = TestRigs.Sim("blog-3x3090-riser");
        var rows = Suites.Bandwidth(rig).Rows;

        var healthy = rows.One("host_to_device_pinned", "bandwidth", 0).Value;
        var riser = rows.One("host_to_device_pinned", "bandwidth", 2).Value;
        Assert.InRange(healthy, 11.0, Gen3x16RawGBps);
        // Gen1 x16: 2.5 GT/s x 8b/10b = 4 GB/s raw against Gen3's 15.75: about a quarter, near the 3 GB/s of REFERENCE.md §4.
        Assert.InRange(riser / healthy, 0.2, 0.3);
        Assert.Equal(1, rows.One("host_to_device_pinned", "link_gen", 2).Value);
        Assert.Equal(3, rows.One("host_to_device_pinned", "link_gen", 0).Value);

        var report = BandwidthReport.From(rows, 3);
        Assert.True(report.Unidirectional.P2pOn[0][2] < report.Unidirectional.P2pOn[0][1] / 3, "a peer copy to GPU 2 runs at its Gen1 link");
        Assert.True(report.Unidirectional.P2pOn[2][1] < report.Unidirectional.P2pOn[0][1] / 3, "a peer copy from GPU 2 too");

        var findings = BandwidthFindings.Examine(rows, rig.Describe(), ReferenceData.Default);
        var link = Assert.Single(findings);
        Assert.Equal(BandwidthFindings.LinkDuringTestCode, link.Code);
        Assert.Contains("GPU 2 ran its copies at Gen1 x16", link.Evidence, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FaultProfiles))]
    public void Every_fault_profile_shows_in_the_bandwidth_findings(string profile)
    {
        using var rig = TestRigs.Sim(profile);
        var rows = Suites.Bandwidth(rig, new BandwidthSpec { BufferBytes = 64L << 20 }, deadlineSeconds: 0.5).Rows;

        Assert.NotEmpty(BandwidthFindings.Examine(rows, rig.Describe(), ReferenceData.Default));
    }

    [Fact]
    public void The_fixed_reference_rig_has_no_bandwidth_findings()
    {
        using var rig = TestRigs.Sim("blog-3x3090");
        var rows = Suites.Bandwidth(rig, new BandwidthSpec { BufferBytes = 64L << 20 }).Rows;

        Assert.Empty(BandwidthFindings.Examine(rows, rig.Describe(), ReferenceData.Default));
    }

    public static TheoryData<string> FaultProfiles => new(TestRigs.FaultProfiles);

    [Fact]
    public void One_gpu_rig_waives_the_peer_cases_instead_of_reporting_zero()
    {
        using var rig = OneGpuRig();
        var rows = Suites.Bandwidth(rig).Rows;

        foreach (var key in new[] { "peer_unidirectional", "peer_bidirectional", "peer_latency", "peer_correctness" })
        {
            var peer = rows.Where(r => r.Case == key).ToList();
            Assert.NotEmpty(peer);
            Assert.All(peer, r =>
            {
                Assert.Equal(RowStatus.Waived, r.Status);
                Assert.True(double.IsNaN(r.Value));
                Assert.Equal("needs two GPUs; this rig has 1", r.Note);
            });
        }

        Assert.Equal(RowStatus.Ok, rows.One("host_to_device_pinned", "bandwidth", 0).Status);
    }

    [Fact]
    public void Noise_is_seeded_gives_a_spread_and_repeats_for_the_same_seed()
    {
        SimulatedRig Noisy(int seed) => new(TestRigs.Sim("blog-3x3090").Profile, "sim:blog-3x3090", options: new SimulationOptions(seed, 0.05));
        var spec = new BandwidthSpec { Cases = ["host_to_device_pinned"], Samples = 5 };
        using var a = Noisy(7);
        using var b = Noisy(7);
        using var c = Noisy(8);
        var first = Suites.Bandwidth(a, spec).Rows;
        var again = Suites.Bandwidth(b, spec).Rows;
        var other = Suites.Bandwidth(c, spec).Rows;

        var min = first.One("host_to_device_pinned", "bandwidth_min", 0).Value;
        var median = first.One("host_to_device_pinned", "bandwidth", 0).Value;
        var max = first.One("host_to_device_pinned", "bandwidth_max", 0).Value;
        Assert.True(min < median && median < max);
        Assert.Equal(median, again.One("host_to_device_pinned", "bandwidth", 0).Value);
        Assert.NotEqual(median, other.One("host_to_device_pinned", "bandwidth", 0).Value);
    }

    [Fact]
    public async Task The_experiment_facade_gives_rows_report_and_findings_in_one_call_as_a_notebook_uses_it()
    {
        using var rig = TestRigs.Sim("blog-3x3090-iommu");
        var streamed = new List<ResultRow>();
        var result = await BandwidthExperiment.RunBandwidthAsync(
            rig,
            new BandwidthSpec { Cases = ["peer_unidirectional"], BufferBytes = 64L << 20 },
            streamed.Add,
            options: new SuiteRunOptions(WorkerMode.InProcess));

        Assert.Equal(result.Suite.Rows, streamed);
        Assert.Equal(3, result.Report.Unidirectional.P2pOn.Count);
        Assert.Contains(result.Findings, f => f.Code == BandwidthFindings.SlowerThanOffCode);
        Assert.Equal("in-process", result.Suite.Executor);
    }

    internal static SimulatedRig OneGpuRig()
    {
        var profile = TestRigs.Sim("blog-3x3090").Profile;
        var one = profile with
        {
            Name = "one-3090",
            Gpus = [profile.Gpus[0]],
            Psus = [profile.Psus[0] with { Feeds = [0] }],
        };
        return new SimulatedRig(one, "sim:one-3090-in-memory");
    }
}
