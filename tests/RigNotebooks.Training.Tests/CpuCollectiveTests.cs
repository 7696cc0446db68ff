using System.Runtime.InteropServices;
using RigNotebooks.Training.Collectives;

namespace RigNotebooks.Training.Tests;

public class CpuCollectiveTests
{
    [Theory]
    [InlineData(ReduceOp.Sum)]
    [InlineData(ReduceOp.Average)]
    public void All_reduce_gives_every_rank_the_same_sum_or_mean(ReduceOp op)
    {
        const int world = 3, count = 1001; // not a multiple of the world size: the chunks are uneven
        var data = Enumerable.Range(0, world).Select(r => Enumerable.Range(0, count).Select(i => (float)((r + 1) * i % 17) - 3.5f).ToArray()).ToArray();
        var expected = Enumerable.Range(0, count).Select(i => data.Sum(d => d[i]) / (op == ReduceOp.Average ? world : 1)).ToArray();

        RunRanks(world, (c, r) => WithPinned(data[r], p => c.AllReduce(p, count, CollectiveDataType.Float32, op)));

        for (var r = 0; r < world; r++)
        {
            for (var i = 0; i < count; i++)
            {
                Assert.Equal(expected[i], data[r][i], 5);
            }

            Assert.Equal(data[0], data[r]); // bit-identical on every rank
        }
    }

    [Fact]
    public void Broadcast_copies_the_roots_buffer()
    {
        var data = Enumerable.Range(0, 3).Select(r => Enumerable.Repeat((float)r, 10).ToArray()).ToArray();
        RunRanks(3, (c, r) => WithPinned(data[r], p => c.Broadcast(p, 10, CollectiveDataType.Float32, root: 2)));
        Assert.All(data, d => Assert.All(d, x => Assert.Equal(2f, x)));
    }

    [Fact]
    public void Mismatched_calls_fail_on_every_rank()
    {
        var errors = RunRanks(2, (c, r) => WithPinned(new float[4], p => c.AllReduce(p, r == 0 ? 4 : 3, CollectiveDataType.Float32, ReduceOp.Sum)), expectErrors: true);
        Assert.All(errors, e => Assert.Contains("mismatched collective calls", e!.Message));
    }

    [Fact]
    public void A_rank_that_never_arrives_trips_the_watchdog_instead_of_hanging()
    {
        var backend = new CpuCollectiveBackend(TimeSpan.FromMilliseconds(300));
        var errors = RunRanks(3, (c, r) =>
        {
            if (r != 2)
            {
                WithPinned(new float[4], p => c.AllReduce(p, 4, CollectiveDataType.Float32, ReduceOp.Sum));
            }
        }, backend, expectErrors: true);

        var timeout = Assert.IsType<CollectiveTimeoutException>(errors.First(e => e is CollectiveTimeoutException));
        Assert.Contains("rank(s) 2, which never arrived", timeout.Message);
        Assert.Null(errors[2]);
        Assert.All(errors.Take(2), e => Assert.IsAssignableFrom<CollectiveException>(e));
    }

    [Fact]
    public void An_abort_releases_the_waiting_ranks_with_its_reason()
    {
        var errors = RunRanks(3, (c, r) =>
        {
            if (r == 1)
            {
                c.Abort(new InvalidOperationException("device lost"));
                return;
            }

            WithPinned(new float[4], p => c.AllReduce(p, 4, CollectiveDataType.Float32, ReduceOp.Sum));
        }, expectErrors: true);

        foreach (var r in new[] { 0, 2 })
        {
            var aborted = Assert.IsType<CollectiveAbortedException>(errors[r]);
            Assert.Equal(1, aborted.AbortingRank);
            Assert.Contains("device lost", aborted.Message);
        }
    }

    [Fact]
    public void Ranks_find_each_other_through_rank_zeros_token()
    {
        var rendezvous = new InProcessRendezvous();
        var backend = new CpuCollectiveBackend();
        var created = 0;
        var tokens = Enumerable.Range(0, 3).AsParallel().Select(r => rendezvous.Exchange(r, () =>
        {
            Interlocked.Increment(ref created);
            return backend.CreateToken(3);
        }, TimeSpan.FromSeconds(5))).ToList();
        Assert.Equal(1, created);
        Assert.All(tokens, t => Assert.Equal(tokens[0].Hex, t.Hex));
        Assert.Equal(128, tokens[0].Id.Length);
    }

    private static Exception?[] RunRanks(int world, Action<ICollective, int> body, CpuCollectiveBackend? backend = null, bool expectErrors = false)
    {
        backend ??= new CpuCollectiveBackend(TimeSpan.FromSeconds(10));
        var token = backend.CreateToken(world);
        var collectives = Enumerable.Range(0, world).Select(r => backend.Join(token, r, world)).ToList();
        var errors = new Exception?[world];
        var threads = Enumerable.Range(0, world).Select(r => new Thread(() =>
        {
            try
            {
                body(collectives[r], r);
            }
            catch (Exception ex)
            {
                errors[r] = ex;
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(10)), "a rank hung"));
        collectives.ForEach(c => c.Dispose());
        if (!expectErrors)
        {
            Assert.All(errors, Assert.Null);
        }

        return errors;
    }

    private static void WithPinned(float[] data, Action<IntPtr> use)
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
