namespace RigNotebooks.Training.Data;

/// <summary>
/// A deterministic synthetic language: a first-order Markov source over <c>VocabSize</c> tokens where each token has
/// a few likely successors (Zipf-weighted) and a small floor of uniform noise. A model that learns the transition
/// table reaches the source's entropy rate (<see cref="EntropyRateNats"/>), far below the ln(V) of guessing, so
/// "the loss falls" is a real test of learning. Same seed, same corpus, on every machine; nothing is downloaded.
/// </summary>
public sealed class MarkovCorpus
{
    private readonly double[][] cumulative;

    public MarkovCorpus(int vocabSize, int seed, int successors = 4, double noise = 0.02)
    {
        if (vocabSize < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(vocabSize), "A corpus needs at least two tokens.");
        }

        VocabSize = vocabSize;
        Seed = seed;
        successors = Math.Clamp(successors, 1, vocabSize);
        var rng = new Random(seed);
        Transitions = new double[vocabSize][];
        cumulative = new double[vocabSize][];
        var zipf = Enumerable.Range(1, successors).Select(k => 1.0 / k).ToArray();
        var zipfSum = zipf.Sum();
        for (var a = 0; a < vocabSize; a++)
        {
            var p = Enumerable.Repeat(noise / vocabSize, vocabSize).ToArray();
            var chosen = Enumerable.Range(0, vocabSize).OrderBy(_ => rng.Next()).Take(successors).ToArray();
            for (var k = 0; k < successors; k++)
            {
                p[chosen[k]] += (1 - noise) * zipf[k] / zipfSum;
            }

            Transitions[a] = p;
            var c = new double[vocabSize];
            var run = 0.0;
            for (var b = 0; b < vocabSize; b++)
            {
                run += p[b];
                c[b] = run;
            }

            c[^1] = 1.0;
            cumulative[a] = c;
        }

        EntropyRateNats = ComputeEntropyRate();
    }

    public int VocabSize { get; }

    public int Seed { get; }

    /// <summary>P(next = b | current = a) as <c>Transitions[a][b]</c>.</summary>
    public double[][] Transitions { get; }

    /// <summary>The source's entropy rate in nats per token: the best loss any model can reach on it.</summary>
    public double EntropyRateNats { get; }

    /// <summary><paramref name="count"/> sequences of <paramref name="length"/> tokens each, generated from a seed
    /// derived from the corpus seed, so sequence i is the same whatever the count.</summary>
    public long[][] Sequences(int count, int length)
    {
        var result = new long[count][];
        for (var i = 0; i < count; i++)
        {
            var rng = new Random(HashCode.Combine(Seed, i, 0x5EC));
            var s = new long[length];
            var token = rng.Next(VocabSize);
            for (var t = 0; t < length; t++)
            {
                s[t] = token;
                token = Next(token, rng.NextDouble());
            }

            result[i] = s;
        }

        return result;
    }

    private int Next(int current, double u)
    {
        var c = cumulative[current];
        var index = Array.BinarySearch(c, u);
        return Math.Min(index >= 0 ? index : ~index, VocabSize - 1);
    }

    private double ComputeEntropyRate()
    {
        // Stationary distribution by power iteration, then H = Σ_a π(a) · H(P(·|a)).
        var pi = Enumerable.Repeat(1.0 / VocabSize, VocabSize).ToArray();
        for (var iter = 0; iter < 200; iter++)
        {
            var next = new double[VocabSize];
            for (var a = 0; a < VocabSize; a++)
            {
                for (var b = 0; b < VocabSize; b++)
                {
                    next[b] += pi[a] * Transitions[a][b];
                }
            }

            pi = next;
        }

        var h = 0.0;
        for (var a = 0; a < VocabSize; a++)
        {
            h += pi[a] * Transitions[a].Where(p => p > 0).Sum(p => -p * Math.Log(p));
        }

        return h;
    }
}
