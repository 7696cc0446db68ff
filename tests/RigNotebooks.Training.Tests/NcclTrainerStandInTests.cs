using RigNotebooks.Training.Collectives;
using RigNotebooks.Training.Model;
using RigNotebooks.Training.Parallel;
using RigNotebooks.Training.Tests.Support;

namespace RigNotebooks.Training.Tests;

/// <summary>
/// The whole trainer over the NCCL collective, with stand-in NCCL and CUDA libraries. The replicas' tensors are CPU
/// tensors (no CUDA libtorch is served here) and the stand-in "device memory" is host memory, so the stand-in NCCL
/// reduces the very storage the trainer hands it (storage pointer plus offset): the test checks our side — the
/// broadcast of the initial weights, one all-reduce per bucket per step with the bucket's element count, float32 = 7
/// and avg = 4 (or sum then scale), and a failing replica stopping the step everywhere. Not evidence about GPUs.
/// </summary>
[Collection(NcclStandInCollection.Name)]
public sealed class NcclTrainerStandInTests
{
    private readonly NcclRanksStandIn standIn = NcclRanksStandIn.Instance.Reset();

    private static TrainerOptions Options(int replicas) =>
        TrainerOptions.Cpu(ShapeRules.Test, replicas, 8) with { DatasetSequences = 256, BucketBytes = 16_000 };

    [Theory]
    [InlineData(22105, 4)] // NCCL 2.21: ncclAvg
    [InlineData(20907, 0)] // NCCL 2.9: sum, then the trainer scales by 1/replicas
    public void StandIn_trainer_over_nccl_takes_the_same_steps_as_over_the_cpu_collective(int ncclVersion, int expectedOp)
    {
        standIn.SetVersion(ncclVersion);
        var liveBefore = standIn.LiveComms;
        IReadOnlyDictionary<string, float[]> overNccl, overNccl1, overCpu;
        int buckets;
        long elements;
        using (var trainer = new DataParallelTrainer(Options(2), NcclCollectiveStandInTests.Backend(2)))
        {
            buckets = trainer.BucketCount;
            for (var i = 0; i < 3; i++)
            {
                trainer.Step();
            }

            overNccl = trainer.Parameters(0);
            overNccl1 = trainer.Parameters(1);
            elements = overNccl.Values.Sum(v => (long)v.Length);
        }

        using (var cpu = new DataParallelTrainer(Options(2)))
        {
            for (var i = 0; i < 3; i++)
            {
                cpu.Step();
            }

            overCpu = cpu.Parameters(0);
        }

        Assert.All(overNccl.Keys, k => Assert.Equal(overNccl[k], overNccl1[k])); // the replicas agree bit for bit
        var worst = overNccl.Keys.Max(k => overNccl[k].Zip(overCpu[k], (a, b) => Math.Abs(a - b)).Max());
        Assert.True(worst < 1e-6, $"NCCL and CPU collectives disagree by {worst:g3}");

        var broadcasts = standIn.Calls("broadcast");
        var allReduces = standIn.Calls("allreduce");
        Assert.True(buckets > 1, "the test model should need several buckets");
        Assert.Equal(2 * buckets, broadcasts.Count); // the initial weights, once per bucket per rank, from rank 0
        Assert.All(broadcasts, b => Assert.Contains("datatype=7,root=0,inplace=1", b));
        Assert.Equal(2 * buckets * 3, allReduces.Count); // one per bucket per step per rank
        Assert.All(allReduces, a => Assert.Contains($"datatype=7,op={expectedOp},inplace=1", a));
        Assert.Equal(2 * elements, broadcasts.Sum(Count)); // the buckets cover every parameter exactly once
        Assert.Equal(2 * 3 * elements, allReduces.Sum(Count));
        Assert.Equal(liveBefore, standIn.LiveComms);
        Assert.Empty(standIn.Calls("abort"));
    }

    [Fact]
    public void StandIn_a_replica_whose_nccl_all_reduce_fails_stops_the_step_on_every_replica()
    {
        using var trainer = new DataParallelTrainer(Options(2), NcclCollectiveStandInTests.Backend(2, TimeSpan.FromSeconds(30)));
        trainer.Step();
        standIn.FailNext(1, 1); // ncclUnhandledCudaError on replica 1's next call

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<DataParallelStepException>(() => trainer.Step());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "replica 0 waited for the deadline instead of being released");
        Assert.Equal(1, error.FailedRank);
        Assert.Contains("ncclUnhandledCudaError", error.Message);
        Assert.Contains("stopped on all 2 replicas", error.Message);
        Assert.Throws<InvalidOperationException>(() => trainer.Step());

        trainer.Dispose();
        Assert.Equal(2, standIn.Calls("abort").Count); // both communicators aborted, none destroyed as if healthy
        Assert.Empty(standIn.Calls("destroy"));
    }

    private static long Count(string call)
    {
        var start = call.IndexOf("count=", StringComparison.Ordinal) + "count=".Length;
        return long.Parse(call[start..call.IndexOf(',', start)], System.Globalization.CultureInfo.InvariantCulture);
    }
}
