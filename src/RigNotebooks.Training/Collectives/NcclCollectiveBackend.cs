using System.Collections.Concurrent;
using RigNotebooks.Errors;
using RigNotebooks.Interop.Cuda;
using RigNotebooks.Interop.Nccl;

namespace RigNotebooks.Training.Collectives;

/// <summary>
/// Collectives for replicas on CUDA devices, over NCCL: one communicator per replica, made with
/// <c>ncclCommInitRank</c> from rank 0's <c>ncclUniqueId</c> (the <see cref="RendezvousToken"/>, so ranks in other
/// processes or on other machines can join once a rendezvous can carry it there). Where NCCL has them (2.14+) the
/// communicators are non-blocking, so that joining and every collective are waited for with a deadline
/// (<see cref="Timeout"/>) and a hang becomes an error instead of a frozen trainer.
/// </summary>
public sealed class NcclCollectiveBackend : ICollectiveBackend
{
    private static readonly ConcurrentDictionary<string, GroupAbort> Groups = new(StringComparer.Ordinal);

    /// <param name="cudaDevices">The CUDA device ordinal of each rank (rank r uses cudaDevices[r]).</param>
    /// <param name="timeout">The watchdog: how long a rank waits for a join or a collective before it fails the group.</param>
    /// <param name="nonBlocking">Non-blocking communicators (the default where NCCL has them); false forces blocking
    /// ones, whose join cannot time out.</param>
    public NcclCollectiveBackend(IReadOnlyList<int> cudaDevices, TimeSpan? timeout = null, bool? nonBlocking = null)
    {
        ArgumentNullException.ThrowIfNull(cudaDevices);
        if (cudaDevices.Count == 0 || cudaDevices.Any(d => d < 0))
        {
            throw new RigInputException("The NCCL collective needs one CUDA device ordinal (0, 1, …) per rank.");
        }

        CudaDevices = cudaDevices.ToList();
        Timeout = timeout ?? TimeSpan.FromSeconds(120);
        CudaDriver.Initialize();
        VersionCode = Nccl.VersionCode();
        var available = NcclCommunicator.NonBlockingAvailable;
        if (nonBlocking == true && !available)
        {
            throw new RigEnvironmentException($"NCCL {Version} has no non-blocking communicators (they came in 2.14): update NCCL (e.g. `pip install -U nvidia-nccl-cu12`).");
        }

        NonBlocking = nonBlocking ?? available;
    }

    public string Name => "nccl";

    public IReadOnlyList<int> CudaDevices { get; }

    public TimeSpan Timeout { get; }

    /// <summary>The loaded NCCL's version code (<c>ncclGetVersion</c>).</summary>
    public int VersionCode { get; }

    public Version Version => Nccl.DecodeVersion(VersionCode);

    public bool NonBlocking { get; }

    /// <summary>Whether NCCL averages itself (ncclAvg, 2.10+); otherwise callers sum and scale.</summary>
    public bool SupportsAverage => VersionCode >= NcclCommunicator.AverageSinceVersion;

    /// <summary>Rank 0's <c>ncclGetUniqueId</c>, 128 bytes.</summary>
    public RendezvousToken CreateToken(int worldSize)
    {
        CheckWorld(worldSize);
        return new RendezvousToken(Name, Nccl.NewUniqueId().ToArray());
    }

    /// <summary>Joins rank <paramref name="rank"/> on its device; call it on the thread that will make the rank's
    /// collective calls, concurrently with the other ranks (joining waits for all of them).</summary>
    public ICollective Join(RendezvousToken token, int rank, int worldSize)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Backend != Name || token.Id.Length != NcclUniqueId.Bytes)
        {
            throw new CollectiveException($"a {token.Backend} rendezvous token of {token.Id.Length} bytes cannot join an NCCL communicator (it needs rank 0's {NcclUniqueId.Bytes}-byte ncclUniqueId)");
        }

        CheckWorld(worldSize);
        if (rank < 0 || rank >= worldSize)
        {
            throw new CollectiveException($"rank {rank} is not a rank of a world of {worldSize}");
        }

        var key = token.Hex;
        var group = Groups.GetOrAdd(key, _ => new GroupAbort(worldSize));
        if (group.WorldSize != worldSize)
        {
            throw new CollectiveException($"rank {rank} joins a world of {worldSize}, but this token's communicator has {group.WorldSize} ranks");
        }

        group.Enter();
        return NcclCollective.Join(this, group, NcclUniqueId.FromBytes(token.Id), rank, worldSize, CudaDevices[rank], () => Release(key, group));
    }

    /// <summary>The last rank out forgets the group. An aborted group is kept, so a rank that joins late still learns
    /// why instead of waiting for its own deadline.</summary>
    private static void Release(string key, GroupAbort group)
    {
        if (group.Leave() && !group.IsAborted && Groups.TryRemove(KeyValuePair.Create(key, group)))
        {
            group.Dispose();
        }
    }

    private void CheckWorld(int worldSize)
    {
        if (worldSize < 1 || worldSize > CudaDevices.Count)
        {
            throw new CollectiveException($"a world of {worldSize} rank(s) needs as many CUDA devices; this NCCL backend was given {CudaDevices.Count}");
        }
    }
}
