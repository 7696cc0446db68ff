using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace RigNotebooks.Training.Collectives;

/// <summary>
/// Collectives for CPU replicas that are threads of one process: the ranks' buffers are all in this address space, so
/// an all-reduce is a reduce-scatter and all-gather done in place — after everyone has arrived, rank r sums element
/// range r over all ranks (in rank order, so every rank ends with bit-identical values) and writes the result into
/// every rank's buffer; a second barrier ends the call. Each wait has a watchdog timeout; an abort from any rank
/// releases the others with its reason.
/// </summary>
public sealed class CpuCollectiveBackend(TimeSpan? timeout = null) : ICollectiveBackend
{
    private static readonly ConcurrentDictionary<string, CpuGroup> Groups = new(StringComparer.Ordinal);

    public string Name => "cpu";

    public TimeSpan Timeout { get; } = timeout ?? TimeSpan.FromSeconds(120);

    public RendezvousToken CreateToken(int worldSize)
    {
        var token = new RendezvousToken(Name, RandomNumberGenerator.GetBytes(128));
        Groups[token.Hex] = new CpuGroup(worldSize, Timeout);
        return token;
    }

    public ICollective Join(RendezvousToken token, int rank, int worldSize)
    {
        if (!Groups.TryGetValue(token.Hex, out var group))
        {
            throw new CollectiveException($"no CPU group for rendezvous token {token.Hex[..16]}…: it was made by another backend or process");
        }

        if (group.WorldSize != worldSize || rank < 0 || rank >= worldSize)
        {
            throw new CollectiveException($"rank {rank} of {worldSize} cannot join a CPU group of {group.WorldSize}");
        }

        if (group.Join(rank))
        {
            Groups.TryRemove(token.Hex, out _);
        }

        return new CpuCollective(group, rank);
    }

    private sealed class CpuCollective(CpuGroup group, int rank) : ICollective
    {
        public int Rank => rank;

        public int WorldSize => group.WorldSize;

        public string Backend => "cpu";

        public void AllReduce(IntPtr buffer, long count, CollectiveDataType type, ReduceOp op) =>
            group.AllReduce(rank, buffer, count, type, op);

        public void Broadcast(IntPtr buffer, long count, CollectiveDataType type, int root) =>
            group.Broadcast(rank, buffer, count, type, root);

        public void Abort(Exception reason) => group.Abort(rank, reason);

        public void Dispose()
        {
            if (!disposed)
            {
                disposed = true;
                group.Leave();
            }
        }

        private bool disposed;
    }

    private sealed unsafe class CpuGroup : IDisposable
    {
        private readonly Barrier barrier;
        private readonly CancellationTokenSource aborted = new();
        private readonly Call[] calls;
        private readonly long[] arrivals;
        private readonly TimeSpan timeout;
        private int joined;
        private Exception? abortReason;
        private int abortingRank = -1;

        public CpuGroup(int worldSize, TimeSpan timeout)
        {
            WorldSize = worldSize;
            this.timeout = timeout;
            barrier = new Barrier(worldSize);
            calls = new Call[worldSize];
            arrivals = new long[worldSize];
        }

        public int WorldSize { get; }

        /// <summary>True when the last rank joined.</summary>
        public bool Join(int rank) => Interlocked.Increment(ref joined) == WorldSize;

        /// <summary>A rank disposed its handle; the last one out frees the barrier.</summary>
        public void Leave()
        {
            if (Interlocked.Decrement(ref joined) == 0)
            {
                Dispose();
            }
        }

        public void Dispose()
        {
            barrier.Dispose();
            aborted.Dispose();
        }

        public void AllReduce(int rank, IntPtr buffer, long count, CollectiveDataType type, ReduceOp op)
        {
            if (type != CollectiveDataType.Float32)
            {
                throw new NotSupportedException($"The CPU collective reduces float32 only, not {type}.");
            }

            Arrive(rank, new Call("all-reduce", buffer, count, type, (int)op), "all-reduce");
            var mine = calls[rank];
            var (start, end) = Chunk(rank, count);
            var inverse = op == ReduceOp.Average ? 1.0f / WorldSize : 1.0f;
            for (var i = start; i < end; i++)
            {
                var sum = 0.0f;
                for (var r = 0; r < WorldSize; r++)
                {
                    sum += ((float*)calls[r].Buffer)[i];
                }

                if (op == ReduceOp.Average)
                {
                    sum *= inverse;
                }

                for (var r = 0; r < WorldSize; r++)
                {
                    ((float*)calls[r].Buffer)[i] = sum;
                }
            }

            Wait(rank, mine.What);
        }

        public void Broadcast(int rank, IntPtr buffer, long count, CollectiveDataType type, int root)
        {
            if (root < 0 || root >= WorldSize)
            {
                throw new ArgumentOutOfRangeException(nameof(root), $"Broadcast root {root} is not a rank of {WorldSize}.");
            }

            Arrive(rank, new Call("broadcast", buffer, count, type, root), "broadcast");
            if (rank != root)
            {
                var bytes = count * (type == CollectiveDataType.Float32 ? 4 : 2);
                Buffer.MemoryCopy((void*)calls[root].Buffer, (void*)buffer, bytes, bytes);
            }

            Wait(rank, "broadcast");
        }

        public void Abort(int rank, Exception reason)
        {
            lock (calls)
            {
                if (abortReason is null)
                {
                    abortReason = reason;
                    abortingRank = rank;
                }
            }

            aborted.Cancel();
        }

        private void Arrive(int rank, Call call, string what)
        {
            ThrowIfAborted(rank, what);
            calls[rank] = call;
            Interlocked.Increment(ref arrivals[rank]);
            Wait(rank, what);
            var first = calls[0];
            for (var r = 1; r < WorldSize; r++)
            {
                if (calls[r].What != first.What || calls[r].Count != first.Count || calls[r].Type != first.Type || calls[r].Argument != first.Argument)
                {
                    // Every rank sees the same table, so every rank throws the same error: no one is left waiting.
                    throw new CollectiveException($"mismatched collective calls: rank 0 called {first}, rank {r} called {calls[r]}");
                }
            }
        }

        private void Wait(int rank, string what)
        {
            bool arrived;
            try
            {
                arrived = barrier.SignalAndWait(timeout, aborted.Token);
            }
            catch (OperationCanceledException)
            {
                ThrowIfAborted(rank, what);
                throw;
            }
            catch (BarrierPostPhaseException ex)
            {
                throw new CollectiveException($"rank {rank}: {what} failed: {ex.Message}", ex);
            }

            if (!arrived)
            {
                var most = arrivals.Max();
                var missing = Enumerable.Range(0, WorldSize).Where(r => Volatile.Read(ref arrivals[r]) < most).ToList();
                var error = new CollectiveTimeoutException(
                    $"rank {rank} waited {timeout.TotalSeconds:0.#} s in {what} #{arrivals[rank]} for " +
                    (missing.Count > 0 ? $"rank(s) {string.Join(", ", missing)}, which never arrived" : "the other ranks"));
                Abort(rank, error);
                throw error;
            }
        }

        private void ThrowIfAborted(int rank, string what)
        {
            if (aborted.IsCancellationRequested)
            {
                var reason = abortReason ?? new CollectiveException("aborted");
                throw new CollectiveAbortedException(
                    $"rank {rank}: {what} abandoned because rank {abortingRank} aborted the group: {reason.Message}", abortingRank, reason);
            }
        }

        private (long Start, long End) Chunk(int rank, long count)
        {
            var per = count / WorldSize;
            var extra = count % WorldSize;
            var start = (rank * per) + Math.Min(rank, extra);
            return (start, start + per + (rank < extra ? 1 : 0));
        }

        private readonly record struct Call(string What, IntPtr Buffer, long Count, CollectiveDataType Type, int Argument)
        {
            public override string ToString() => $"{What}(count {Count}, {Type}, {Argument})";
        }
    }
}
