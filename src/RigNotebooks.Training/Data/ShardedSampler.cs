namespace RigNotebooks.Training.Data;

/// <summary>
/// Splits a dataset of <see cref="DatasetSize"/> examples across replicas like PyTorch's DistributedSampler: every
/// epoch one permutation from a seed all replicas share (seed + epoch), cut to a multiple of the replica count, and
/// replica r takes positions r, r + R, r + 2R, … So the shards are disjoint, together cover the epoch, and the
/// global batch of a step is the same whatever the replica count — which makes N replicas on B/N examples the
/// same computation as one replica on B.
/// </summary>
public sealed class ShardedSampler
{
    public ShardedSampler(int datasetSize, int replicas, int seed)
    {
        if (replicas < 1 || datasetSize < replicas)
        {
            throw new ArgumentOutOfRangeException(nameof(replicas), $"Cannot shard {datasetSize} examples over {replicas} replicas.");
        }

        DatasetSize = datasetSize;
        Replicas = replicas;
        Seed = seed;
    }

    public int DatasetSize { get; }

    public int Replicas { get; }

    public int Seed { get; }

    /// <summary>Examples per replica per epoch.</summary>
    public int ShardSize => DatasetSize / Replicas;

    /// <summary>The epoch's permutation (shared by all replicas).</summary>
    public int[] Permutation(int epoch)
    {
        var order = Enumerable.Range(0, DatasetSize).ToArray();
        new Random(HashCode.Combine(Seed, epoch)).Shuffle(order);
        return order;
    }

    /// <summary>Replica <paramref name="replica"/>'s examples for an epoch, in order.</summary>
    public int[] Shard(int epoch, int replica)
    {
        var permutation = Permutation(epoch);
        var shard = new int[ShardSize];
        for (var i = 0; i < ShardSize; i++)
        {
            shard[i] = permutation[(i * Replicas) + replica];
        }

        return shard;
    }

    /// <summary>The examples of global step <paramref name="step"/> for each replica, with <paramref name="perReplica"/>
    /// examples each; epochs roll over when a shard runs out (the remainder of a shard is dropped).</summary>
    public int[][] Step(long step, int perReplica)
    {
        if (perReplica < 1 || perReplica > ShardSize)
        {
            throw new ArgumentOutOfRangeException(nameof(perReplica), $"A replica batch of {perReplica} does not fit a shard of {ShardSize}.");
        }

        var stepsPerEpoch = ShardSize / perReplica;
        var epoch = (int)(step / stepsPerEpoch);
        var offset = (int)(step % stepsPerEpoch) * perReplica;
        return Enumerable.Range(0, Replicas).Select(r => Shard(epoch, r).AsSpan(offset, perReplica).ToArray()).ToArray();
    }

    /// <summary>The epoch a step falls in.</summary>
    public int EpochOf(long step, int perReplica) => (int)(step / (ShardSize / perReplica));
}
