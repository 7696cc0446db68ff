using RigNotebooks.Bandwidth.Cases;
using RigNotebooks.Bandwidth.Measurement;
using RigNotebooks.Hardware;
using RigNotebooks.Interop.Cuda;
using RigNotebooks.Model;
using RigNotebooks.Tests.Support;

namespace RigNotebooks.Tests.Hardware;

/// <summary>The real copy and all-reduce timers against the stand-in libcuda and libnccl (device memory is host memory,
/// every event pair reads 1.25 ms, the spin kernel is accepted and returns at once): the call sequence, the byte and
/// time arithmetic, and the data checks — not evidence about GPUs. The GPU check runs them on a real GPU.</summary>
[Collection(StandInCollection.Name)]
public sealed class LocalTimersStandInTests
{
    private const double StandInEventMs = 1.25;

    private readonly StandInLibraries standIn = StandInLibraries.Instance;

    private static LocalCopyTimer CopyTimer() => new(i => CudaDriver.Initialize().Device(i), _ => new PcieLink(4, 16, 4, 16));

    [Fact]
    public void Pinned_host_copies_time_events_around_the_copies_and_read_the_link_during_them()
    {
        using var timer = CopyTimer();
        var timing = timer.Time(new CopyRequest(CopyRoute.HostToDevice, 0, null, 1 << 20, 4, 3, 1), CancellationToken.None);

        Assert.Equal(3, timing.SampleSeconds.Count);
        Assert.All(timing.SampleSeconds, s => Assert.Equal(StandInEventMs / 1000, s, 9));
        Assert.Equal(4L << 20, timing.BytesPerSample);
        Assert.All(timing.BandwidthsGBps, b => Assert.Equal((4 << 20) / (StandInEventMs / 1000) / 1e9, b, 9));
        Assert.Equal("Gen4 x16", timing.LinkDuring!.Current);
    }

    [Fact]
    public void Device_to_host_local_and_pageable_copies_run()
    {
        using var timer = CopyTimer();
        Assert.Equal(2, timer.Time(new CopyRequest(CopyRoute.DeviceToHost, 1, null, 4096, 2, 2, 0), CancellationToken.None).SampleSeconds.Count);
        Assert.Null(timer.Time(new CopyRequest(CopyRoute.DeviceLocal, 0, null, 4096, 2, 1, 1), CancellationToken.None).LinkDuring);
        var pageable = timer.Time(new CopyRequest(CopyRoute.HostToDevice, 0, null, 4096, 2, 2, 1, HostMemory.Pageable), CancellationToken.None);
        Assert.All(pageable.SampleSeconds, s => Assert.True(s > 0));
    }

    [Fact]
    public void Peer_copies_with_p2p_on_off_and_both_ways_count_their_bytes()
    {
        using var timer = CopyTimer();
        var on = timer.Time(new CopyRequest(CopyRoute.Peer, 0, 1, 8192, 2, 1, 1, PeerAccess: true), CancellationToken.None);
        var off = timer.Time(new CopyRequest(CopyRoute.Peer, 0, 1, 8192, 2, 1, 1, PeerAccess: false), CancellationToken.None);
        var both = timer.Time(new CopyRequest(CopyRoute.Peer, 1, 0, 8192, 2, 1, 1, PeerAccess: true, Bidirectional: true), CancellationToken.None);

        Assert.Equal(16384, on.BytesPerSample);
        Assert.Equal(16384, off.BytesPerSample);
        Assert.Equal(32768, both.BytesPerSample);
    }

    [Fact]
    public void Latency_is_the_sample_time_divided_by_the_copies()
    {
        using var timer = CopyTimer();
        var latency = timer.Latency(new LatencyRequest(0, 1, true, 100, 2), CancellationToken.None);
        Assert.All(latency.SampleMicroseconds, us => Assert.Equal(StandInEventMs * 1000 / 100, us, 9));
    }

    [Fact]
    public void The_peer_data_check_reads_back_an_intact_copy_as_intact()
    {
        using var timer = CopyTimer();
        var small = timer.CheckPeerCopy(new PeerCheckRequest(0, 1, 8), CancellationToken.None);
        var full = timer.CheckPeerCopy(new PeerCheckRequest(0, 1, 3 << 20), CancellationToken.None);
        Assert.True(small.Intact && full.Intact);
        Assert.Null(full.FirstWrongOffsetBytes);
    }

    [Fact]
    public void One_rank_all_reduce_is_timed_and_checked()
    {
        using var timer = new LocalAllReduceTimer(i => CudaDriver.Initialize().Device(i));
        var timing = timer.Time(new AllReduceRequest([0], 1024, InPlace: false, PeerToPeer: true, 1, 5, CheckData: true), CancellationToken.None);
        Assert.True(timing.TimeUs > 0);
        Assert.Equal(0, timing.WrongElements);
    }

    [Fact]
    public void The_all_reduce_data_check_catches_wrong_sums()
    {
        // The stand-in "sums" as if every rank held its own value (rank value × ranks), which is not the sum of
        // the ranks' different contributions: the check must flag every element of both ranks.
        using var timer = new LocalAllReduceTimer(i => CudaDriver.Initialize().Device(i));
        var timing = timer.Time(new AllReduceRequest([0, 1], 4096, InPlace: true, PeerToPeer: true, 0, 1, CheckData: true), CancellationToken.None);
        Assert.Equal(2 * 4096 / 4, timing.WrongElements);
    }

    [Fact]
    public void All_reduce_refuses_a_p2p_mode_this_process_was_not_started_for()
    {
        using var timer = new LocalAllReduceTimer(i => CudaDriver.Initialize().Device(i));
        var error = Assert.Throws<InvalidOperationException>(() =>
            timer.Time(new AllReduceRequest([0, 1], 64, false, PeerToPeer: false, 0, 1, false), CancellationToken.None));
        Assert.Contains(AllReduceCase.P2PDisableVariable, error.Message);
    }
}
