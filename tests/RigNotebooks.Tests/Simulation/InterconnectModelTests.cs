using RigNotebooks.Simulation.Physics;

namespace RigNotebooks.Tests.Simulation;

public class InterconnectModelTests
{
    private static InterconnectModel Model(string profile) => new(TestRigs.Sim(profile));

    [Fact]
    public void Host_copies_on_pcie3_x16_follow_the_achieved_rate()
    {
        var model = Model("blog-3x3090");
        // 15.75 GB/s raw x16 Gen3 (REFERENCE.md §2) at the measured 12.1 GB/s achieved.
        Assert.Equal(12.1, model.HostToDeviceGBps(0, pinned: true), 2);
        Assert.True(model.HostToDeviceGBps(0, pinned: false) < model.HostToDeviceGBps(0, pinned: true));
        Assert.True(model.HostToDeviceGBps(0, true) < 15.76, "cannot exceed PCIe 3.0 x16 physics");
    }

    [Fact]
    public void Peer_paths_follow_the_topology()
    {
        var model = Model("blog-3x3090");
        var sameDie = model.Peer(0, 1, p2p: true, bidirectional: false);
        var acrossDies = model.Peer(0, 2, p2p: true, bidirectional: false);
        Assert.Equal(12.1, sameDie.BandwidthGBps, 2);
        Assert.True(acrossDies.BandwidthGBps < sameDie.BandwidthGBps);
        Assert.True(acrossDies.LatencyUs > sameDie.LatencyUs);
        Assert.Contains("SYS", acrossDies.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void P2P_off_is_staged_through_host_and_slower()
    {
        var model = Model("blog-3x3090");
        var on = model.Peer(0, 1, true, false);
        var off = model.Peer(0, 1, false, false);
        Assert.InRange(off.BandwidthGBps / on.BandwidthGBps, 0.40, 0.50);
        Assert.InRange(off.LatencyUs, 10, 21);
        Assert.InRange(on.LatencyUs, 0.9, 2);
        Assert.True(model.Peer(0, 1, true, true).BandwidthGBps > on.BandwidthGBps * 1.5);
        Assert.True(model.Peer(0, 1, false, true).BandwidthGBps > off.BandwidthGBps);
    }

    [Fact]
    public void Driver545_peer_copies_hang_only_with_p2p_on()
    {
        var model = Model("blog-3x3090-driver545");
        Assert.True(model.Peer(0, 1, true, false).Hangs);
        Assert.False(model.Peer(0, 1, false, false).Hangs);
        Assert.True(model.AllReduce([0, 1, 2], 1 << 20, p2p: true).Hangs);
        Assert.False(model.AllReduce([0, 1, 2], 1 << 20, p2p: false).Hangs);
    }

    [Fact]
    public void Iommu_makes_p2p_slower_than_off_and_corrupts_past_the_first_page()
    {
        var model = Model("blog-3x3090-iommu");
        var on = model.Peer(0, 1, true, false);
        var off = model.Peer(0, 1, false, false);
        Assert.True(on.BandwidthGBps < off.BandwidthGBps, $"{on.BandwidthGBps} vs {off.BandwidthGBps}");
        Assert.True(on.Corrupts);
        Assert.Equal(4096, on.FirstWrongOffsetBytes);
        Assert.False(off.Corrupts);
    }

    [Fact]
    public void Bifurcated_x4_links_carry_a_quarter()
    {
        var x4 = Model("bifurcated-4x4").Peer(0, 1, true, false).BandwidthGBps;
        var x16 = Model("blog-3x3090").Peer(0, 1, true, false).BandwidthGBps;
        Assert.Equal(x16 / 4, x4, 2);
    }

    [Fact]
    public void AllReduce_busbw_rises_with_size_toward_the_ring_limit()
    {
        var model = Model("blog-3x3090");
        var small = model.AllReduce([0, 1, 2], 8, true);
        var large = model.AllReduce([0, 1, 2], 256L << 20, true);
        Assert.True(small.BusBwGBps < 0.01);
        Assert.True(small.TimeUs is > 10 and < 100, $"8 B all-reduce took {small.TimeUs} us");
        var slowestLink = model.Peer(0, 2, true, false).BandwidthGBps;
        Assert.InRange(large.BusBwGBps, slowestLink * 0.9, slowestLink * InterconnectModel.NcclRingEfficiency);
        Assert.Equal(large.AlgBwGBps * 4.0 / 3.0, large.BusBwGBps, 6);
        Assert.True(model.AllReduce([0, 1, 2], 256L << 20, false).BusBwGBps < large.BusBwGBps / 2);
    }

    [Fact]
    public void AllReduce_on_one_rank_moves_nothing_over_the_bus()
    {
        var one = Model("blog-3x3090").AllReduce([0], 1 << 20, true);
        Assert.Equal(0, one.BusBwGBps);
        Assert.True(one.TimeUs > 0);
    }
}
