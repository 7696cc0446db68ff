using RigNotebooks.Training.Data;

namespace RigNotebooks.Training.Tests;

public class CorpusAndSamplerTests
{
    [Fact]
    public void The_corpus_is_deterministic_for_a_seed_and_has_learnable_structure()
    {
        var a = new MarkovCorpus(64, seed: 7).Sequences(20, 50);
        var b = new MarkovCorpus(64, seed: 7).Sequences(20, 50);
        var c = new MarkovCorpus(64, seed: 8).Sequences(20, 50);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);

        var corpus = new MarkovCorpus(64, seed: 7);
        Assert.InRange(corpus.EntropyRateNats, 0.8, 2.0); // far below ln 64 = 4.16
        Assert.All(corpus.Transitions, row => Assert.Equal(1.0, row.Sum(), 9));
    }

    [Fact]
    public void Generated_bigrams_follow_the_transition_table()
    {
        var corpus = new MarkovCorpus(16, seed: 3);
        var counts = new double[16, 16];
        foreach (var s in corpus.Sequences(400, 200))
        {
            for (var t = 1; t < s.Length; t++)
            {
                counts[s[t - 1], s[t]]++;
            }
        }

        for (var a = 0; a < 16; a++)
        {
            var total = Enumerable.Range(0, 16).Sum(b => counts[a, b]);
            var top = Enumerable.Range(0, 16).MaxBy(b => corpus.Transitions[a][b]);
            var p = corpus.Transitions[a][top];
            var tolerance = (5 * Math.Sqrt(p * (1 - p) / Math.Max(total, 1))) + 0.005; // 5 sigma: rare tokens are seen rarely
            Assert.InRange(counts[a, top] / total, p - tolerance, p + tolerance);
        }
    }

    [Fact]
    public void Shards_are_disjoint_cover_the_epoch_and_reshuffle_each_epoch()
    {
        var sampler = new ShardedSampler(100, replicas: 4, seed: 1);
        var shards = Enumerable.Range(0, 4).Select(r => sampler.Shard(0, r)).ToList();
        Assert.All(shards, s => Assert.Equal(25, s.Length));
        Assert.Equal(Enumerable.Range(0, 100), shards.SelectMany(s => s).Order());
        Assert.NotEqual(sampler.Shard(0, 0), sampler.Shard(1, 0));
        Assert.Equal(sampler.Shard(1, 0), new ShardedSampler(100, 4, 1).Shard(1, 0));
    }

    [Fact]
    public void The_global_batch_of_a_step_does_not_depend_on_the_replica_count()
    {
        for (var step = 0; step < 12; step++)
        {
            var one = new ShardedSampler(96, 1, 5).Step(step, 8).SelectMany(x => x).Order();
            var four = new ShardedSampler(96, 4, 5).Step(step, 2).SelectMany(x => x).Order();
            Assert.Equal(one, four);
        }
    }
}
