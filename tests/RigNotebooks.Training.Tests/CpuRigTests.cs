using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Rigs;
using RigNotebooks.Training.Rigs;
using RigNotebooks.TrainingRuns;

namespace RigNotebooks.Training.Tests;

public sealed class CpuRigTests : IDisposable
{
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("rig-cpurig-");

    public void Dispose() => temp.Delete(recursive: true);

    [Fact]
    public void The_cpu_rig_is_registered_measured_and_trains_into_a_run()
    {
        TrainingRigs.Register();
        using var rig = RigSelector.Open("cpu");
        Assert.Equal(DataSource.Measured, rig.Source);
        Assert.Empty(rig.Describe().Gpus);
        Assert.False(rig.Get<Doctor.IDoctorRule>().IsAvailable);

        var store = new RunStore(temp.FullName);
        using var run = store.Create("train", [], rig.Describe());
        var checkpoint = Path.Combine(temp.FullName, "ckpt");
        var result = rig.Get<IDataParallelTraining>().Require().Train(new TrainingRequest("test", 2, 6, 8, LearningRate: 1e-2, CheckpointFolder: checkpoint), run, null, CancellationToken.None);
        run.Complete();

        Assert.True(result.LastLoss < result.FirstLoss);
        Assert.Equal(6 * 5, run.Rows.Count); // five metrics per step
        Assert.All(run.Rows, r => Assert.Equal(DataSource.Measured, r.Source));
        Assert.True(File.Exists(Path.Combine(checkpoint, "model.bin")));
    }

    [Fact]
    public void The_benchmark_compares_replicas_with_one_on_the_same_batch()
    {
        using var rig = new CpuRig();
        var result = rig.Get<ITrainingBenchmark>().Require().Run(new TrainingBenchmarkRequest("test", 8, 2, 1, [2], 1, [1]), CancellationToken.None);
        Assert.Equal([1, 2], result.DataParallel.Select(p => p.Replicas));
        Assert.Equal(100, result.DataParallel[0].EfficiencyPct, 6);
        Assert.True(result.DataParallel[1].EfficiencyPct > 0);
        Assert.True(result.PlainStepMs[1] > 0);
    }
}
