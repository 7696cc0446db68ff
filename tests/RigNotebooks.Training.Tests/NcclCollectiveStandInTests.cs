using System.Diagnostics;
using System.Runtime.InteropServices;
using RigNotebooks.Training.Collectives;
using RigNotebooks.Training.Tests.Support;

namespace RigNotebooks.Training.Tests;

/// <summary>
/// The NCCL collective against stand-in NCCL and CUDA libraries (see <see cref="NcclRanksStandIn"/>): whether our side
/// makes the right calls in the right order with the right types and counts, maps NCCL's errors, keeps its deadline
/// and aborts every rank when one fails. Not evidence about NCCL or GPUs; `rig train --nccl-selftest` is the check
/// on a real one.
/// </summary>
[Collection(NcclStandInCollection.Name)]
public sealed class NcclCollectiveStandInTests
{
    private const int UnhandledCudaError = 1;
    private const int RemoteError = 6;

    private readonly NcclRanksStandIn standIn = NcclRanksStandIn.Instance.Reset();

    [Theory]
    [InlineData(ReduceOp.Sum, 0)]
    [InlineData(ReduceOp.Average, 4)]
    public void StandIn_ranks_meet_through_rank_zeros_unique_id_and_reduce_across_ranks(ReduceOp op, int ncclOp)
    {
        const int world = 3, count = 1001;
        var data = Enumerable.Range(0, world).Select(r => Enumerable.Range(0, count).Select(i => (float)((r + 1) * i % 17) - 3.5f).ToArray()).ToArray();
        var expected = Enumerable.Range(0, count).Select(i => data.Sum(d => d[i]) / (op == ReduceOp.Average ? world : 1)).ToArray();
        var liveBefore = standIn.LiveComms;

        var backend = Backend(world);
        Assert.True(backend.NonBlocking);
        RunRanks(backend, world, (c, r) => WithPinned(data[r], p => c.AllReduce(p, count, CollectiveDataType.Float32, op)));

        for (var r = 0; r < world; r++)
        {
            Assert.Equal(data[0], data[r]); // every rank holds the same result
            for (var i = 0; i < count; i++)
            {
                Assert.Equal(expected[i], data[r][i], 4);
            }
        }

        Assert.Equal(Enumerable.Range(0, world).Select(r => $"init(rank={r},nranks=3,blocking=0)").Order(), standIn.Calls("init").Order());
        Assert.Equal(Enumerable.Range(0, world).Select(r => $"allreduce(rank={r},count={count},datatype=7,op={ncclOp},inplace=1)").Order(), standIn.Calls("allreduce").Order());
        Assert.Equal(world, standIn.Calls("finalize").Count); // a healthy communicator is finalized, then destroyed
        Assert.Equal(world, standIn.Calls("destroy").Count);
        Assert.Empty(standIn.Calls("abort"));
        Assert.Equal(liveBefore, standIn.LiveComms);
    }

    [Fact]
    public void StandIn_bf16_goes_to_nccl_as_type_9_and_float32_as_7()
    {
        // 1.5 + 2.25 = 3.75 and 0.5 + 0.5 = 1 are exact in bf16 (0x3FC0 + 0x4010 = 0x4070; 0x3F00 + 0x3F00 = 0x3F80).
        var bf16 = new[] { new ushort[] { 0x3FC0, 0x3F00 }, new ushort[] { 0x4010, 0x3F00 } };
        RunRanks(Backend(2), 2, (c, r) => WithPinned(bf16[r], p => c.AllReduce(p, 2, CollectiveDataType.BFloat16, ReduceOp.Sum)));
        Assert.All(bf16, b => Assert.Equal(new ushort[] { 0x4070, 0x3F80 }, b));
        Assert.All(standIn.Calls("allreduce"), call => Assert.Contains("count=2,datatype=9,op=0", call));

        standIn.Reset();
        var f32 = new[] { new float[] { 1 }, new float[] { 2 } };
        RunRanks(Backend(2), 2, (c, r) => WithPinned(f32[r], p => c.AllReduce(p, 1, CollectiveDataType.Float32, ReduceOp.Sum)));
        Assert.All(standIn.Calls("allreduce"), call => Assert.Contains("count=1,datatype=7,op=0", call));
    }

    [Fact]
    public void StandIn_broadcast_gives_every_rank_the_roots_buffer()
    {
        var data = Enumerable.Range(0, 3).Select(r => Enumerable.Repeat((float)r, 10).ToArray()).ToArray();
        RunRanks(Backend(3), 3, (c, r) => WithPinned(data[r], p => c.Broadcast(p, 10, CollectiveDataType.Float32, root: 1)));
        Assert.All(data, d => Assert.All(d, x => Assert.Equal(1f, x)));
        Assert.Equal(3, standIn.Calls("broadcast").Count(c => c.Contains("count=10,datatype=7,root=1,inplace=1", StringComparison.Ordinal)));
    }

    [Fact]
    public void StandIn_an_nccl_error_fails_that_rank_with_nccls_text_and_releases_the_others_with_it()
    {
        standIn.FailNext(1, UnhandledCudaError);
        var clock = Stopwatch.StartNew();
        var errors = RunRanks(Backend(3, TimeSpan.FromSeconds(30)), 3, (c, r) => WithPinned(new float[8], p => c.AllReduce(p, 8, CollectiveDataType.Float32, ReduceOp.Average)), expectErrors: true);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the other ranks waited {clock.Elapsed} instead of being released");
        var failed = Assert.IsType<CollectiveException>(errors[1]);
        Assert.Contains("ncclUnhandledCudaError = 1", failed.Message);
        Assert.Contains("unhandled cuda error", failed.Message);
        Assert.Contains("all-reduce #1 (8 elements)", failed.Message);
        foreach (var r in new[] { 0, 2 })
        {
            var aborted = Assert.IsType<CollectiveAbortedException>(errors[r]);
            Assert.Equal(1, aborted.AbortingRank);
            Assert.Contains("unhandled cuda error", aborted.Message);
        }

        Assert.Equal(Enumerable.Range(0, 3).Select(r => $"abort(rank={r})"), standIn.Calls("abort").Order()); // every rank's communicator aborted
        Assert.Empty(standIn.Calls("destroy"));
        Assert.Equal(0, standIn.LiveComms);
    }

    [Fact]
    public void StandIn_an_asynchronous_error_during_the_wait_is_reported_and_aborts_the_group()
    {
        standIn.AsyncErrorAfterNext(0, RemoteError);
        var errors = RunRanks(Backend(2, TimeSpan.FromSeconds(30)), 2, (c, r) =>
        {
            WithPinned(new float[4], p => c.AllReduce(p, 4, CollectiveDataType.Float32, ReduceOp.Sum));
            WithPinned(new float[4], p => c.AllReduce(p, 4, CollectiveDataType.Float32, ReduceOp.Sum));
        }, expectErrors: true);

        var failed = Assert.IsType<CollectiveException>(errors[0]);
        Assert.Contains("ncclRemoteError = 6", failed.Message);
        Assert.Contains("remote process exited or there was a network error", failed.Message);
        var aborted = Assert.IsType<CollectiveAbortedException>(errors[1]);
        Assert.Equal(0, aborted.AbortingRank);
        Assert.Equal(2, standIn.Calls("abort").Count);
    }

    [Fact]
    public void StandIn_a_collective_that_stays_in_progress_hits_the_deadline_and_stops_every_rank()
    {
        standIn.StallNext(2); // rank 2's first all-reduce reports ncclInProgress forever
        using var rankTwoDone = new ManualResetEventSlim();
        var clock = Stopwatch.StartNew();
        var errors = RunRanks(Backend(3, TimeSpan.FromMilliseconds(300)), 3, (c, r) =>
        {
            try
            {
                WithPinned(new float[4], p => c.AllReduce(p, 4, CollectiveDataType.Float32, ReduceOp.Average));
            }
            finally
            {
                if (r == 2)
                {
                    rankTwoDone.Set();
                }
            }

            // Ranks 0 and 1 finished call #1 (every rank issued it); their next call comes after rank 2 gave up.
            Assert.True(rankTwoDone.Wait(TimeSpan.FromSeconds(10)));
            WithPinned(new float[4], p => c.AllReduce(p, 4, CollectiveDataType.Float32, ReduceOp.Average));
        }, expectErrors: true);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        var timeout = Assert.IsType<CollectiveTimeoutException>(errors[2]);
        Assert.StartsWith("rank 2 waited 0.", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("s in all-reduce #1 (4 elements) on CUDA device 0", timeout.Message);
        Assert.Contains("still reports it in progress (InProgress)", timeout.Message);
        Assert.Contains("NCCL_P2P_DISABLE=1", timeout.Message);
        foreach (var r in new[] { 0, 1 })
        {
            var aborted = Assert.IsType<CollectiveAbortedException>(errors[r]);
            Assert.Equal(2, aborted.AbortingRank);
            Assert.Contains("all-reduce #2", aborted.Message);
            Assert.Same(timeout, aborted.InnerException);
        }

        Assert.Equal(3, standIn.Calls("abort").Count);
        Assert.Equal(0, standIn.LiveComms);
    }

    [Fact]
    public void StandIn_a_rank_that_never_arrives_trips_the_deadline_instead_of_hanging()
    {
        var errors = RunRanks(Backend(3, TimeSpan.FromMilliseconds(300)), 3, (c, r) =>
        {
            if (r != 2)
            {
                WithPinned(new float[4], p => c.AllReduce(p, 4, CollectiveDataType.Float32, ReduceOp.Sum));
            }
        }, expectErrors: true);

        Assert.Null(errors[2]);
        Assert.Contains(errors, e => e is CollectiveTimeoutException t && t.Message.Contains("a rank that never arrived", StringComparison.Ordinal));
        Assert.All(errors.Take(2), e => Assert.IsAssignableFrom<CollectiveException>(e));
    }

    [Fact]
    public void StandIn_joining_waits_with_a_deadline_for_ranks_that_never_come()
    {
        var backend = Backend(3, TimeSpan.FromMilliseconds(300));
        var token = backend.CreateToken(3);
        var errors = new Exception?[2];
        var threads = Enumerable.Range(0, 2).Select(r => new Thread(() =>
        {
            try
            {
                backend.Join(token, r, 3).Dispose();
            }
            catch (Exception ex)
            {
                errors[r] = ex;
            }
        })).ToList();
        var clock = Stopwatch.StartNew();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(10)), "a rank hung while joining"));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
        Assert.All(errors, e => Assert.IsAssignableFrom<CollectiveException>(e));
        Assert.Contains(errors, e => e is CollectiveTimeoutException t && t.Message.Contains("joining (ncclCommInitRankConfig)", StringComparison.Ordinal));
        Assert.Equal(2, standIn.Calls("abort").Count);
        Assert.Equal(0, standIn.LiveComms);
    }

    [Fact]
    public void StandIn_nccl_before_2_14_gets_blocking_communicators_and_before_2_10_no_average()
    {
        standIn.SetVersion(20907);
        var backend = Backend(2);
        Assert.False(backend.NonBlocking);
        Assert.False(backend.SupportsAverage);
        Assert.Equal(new Version(2, 9, 7), backend.Version);

        var data = new[] { new float[] { 1, 2 }, new float[] { 3, 4 } };
        var errors = RunRanks(backend, 2, (c, r) =>
        {
            Assert.False(c.SupportsAverage);
            WithPinned(data[r], p => c.AllReduce(p, 2, CollectiveDataType.Float32, ReduceOp.Sum));
            WithPinned(data[r], p => c.AllReduce(p, 2, CollectiveDataType.Float32, ReduceOp.Average));
        }, expectErrors: true);

        Assert.All(data, d => Assert.Equal(new float[] { 4, 6 }, d));
        Assert.All(errors, e => Assert.Contains("ncclAvg came in 2.10", e!.Message));
        Assert.All(standIn.Calls("init"), call => Assert.EndsWith("blocking=1)", call, StringComparison.Ordinal));
        Assert.Empty(standIn.Calls("finalize")); // blocking communicators are destroyed directly
        Assert.Equal(2, standIn.Calls("destroy").Count);

        standIn.SetVersion(21306); // 2.13: average yes, non-blocking no — and asking for it is an error, not a silent fallback
        Assert.True(Backend(2).SupportsAverage);
        Assert.Throws<Errors.RigEnvironmentException>(() => new NcclCollectiveBackend([0, 1], nonBlocking: true));
    }

    [Fact]
    public void StandIn_tokens_from_another_backend_and_worlds_larger_than_the_devices_are_refused()
    {
        var backend = Backend(2);
        Assert.Throws<CollectiveException>(() => backend.Join(new CpuCollectiveBackend().CreateToken(2), 0, 2));
        Assert.Throws<CollectiveException>(() => backend.CreateToken(3));
        Assert.Throws<Errors.RigInputException>(() => new NcclCollectiveBackend([]));
        Assert.Equal(128, backend.CreateToken(2).Id.Length);
    }

    internal static NcclCollectiveBackend Backend(int world, TimeSpan? timeout = null) =>
        new(Enumerable.Range(0, world).Select(r => r % 2).ToList(), timeout ?? TimeSpan.FromSeconds(10)); // the stand-in driver has 2 devices

    /// <summary>Each rank joins and calls on its own thread (joining waits for every rank) and disposes there.</summary>
    private static Exception?[] RunRanks(NcclCollectiveBackend backend, int world, Action<ICollective, int> body, bool expectErrors = false)
    {
        var token = new InProcessRendezvous().Exchange(0, () => backend.CreateToken(world), TimeSpan.FromSeconds(1));
        var errors = new Exception?[world];
        var threads = Enumerable.Range(0, world).Select(r => new Thread(() =>
        {
            ICollective? collective = null;
            try
            {
                collective = backend.Join(token, r, world);
                body(collective, r);
            }
            catch (Exception ex)
            {
                errors[r] = ex;
            }
            finally
            {
                collective?.Dispose();
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(15)), "a rank hung"));
        if (!expectErrors)
        {
            Assert.All(errors, Assert.Null);
        }

        return errors;
    }

    private static void WithPinned<T>(T[] data, Action<IntPtr> use)
        where T : unmanaged
    {
        var handle = GCHandle.Alloc(data, GCHandleType.Pinned);
        try
        {
            use(handle.AddrOfPinnedObject());
        }
        finally
        {
            handle.Free();
        }
    }
}
