using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Simulation.Physics;
using RigNotebooks.TrainingRuns;

namespace RigNotebooks.Tests.TrainingRuns;

public sealed class SimulatedTrainScalingTests : IDisposable
{
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("rig-scaling-");

    public void Dispose() => temp.Delete(recursive: true);

    [Fact]
    public void The_reference_rig_scales_to_three_gpus_with_p2p_and_clearly_worse_without()
    {
        var store = new RunStore(temp.FullName);
        using var rig = TestRigs.Sim("blog-3x3090");
        var report = SimulatedTrainScaling.Run(store, rig, TransformerShape.Reference, [1, 2, 3], [true, false]);
        var run = store.Load(report.RunId);

        Assert.All(run.Rows, r => Assert.Equal(DataSource.Simulated, r.Source));
        Assert.Equal(DataSource.Simulated, run.Record.Source);
        double Efficiency(int gpus, string p2p) => run.Rows.Single(r => r.Metric == "efficiency" && r.Parameter("gpus") == gpus.ToString(System.Globalization.CultureInfo.InvariantCulture) && r.Parameter("p2p") == p2p).Value;
        Assert.True(Efficiency(3, "on") >= 90, $"P2P on, 3 GPUs: {Efficiency(3, "on"):0.0} %");
        Assert.True(Efficiency(3, "off") < Efficiency(3, "on") - 10, $"P2P off {Efficiency(3, "off"):0.0} % vs on {Efficiency(3, "on"):0.0} %");
        Assert.Equal(100, Efficiency(1, "on"), 6);

        var offComm = run.Rows.Single(r => r.Metric == "comm_exposed_time" && r.Parameter("gpus") == "3" && r.Parameter("p2p") == "off");
        var onComm = run.Rows.Single(r => r.Metric == "comm_exposed_time" && r.Parameter("gpus") == "3" && r.Parameter("p2p") == "on");
        Assert.True(offComm.Value > 2 * onComm.Value);
        Assert.Contains("staged through host", offComm.Note);
        Assert.All(run.Rows.Where(r => r.Metric == "energy_per_token"), r => Assert.InRange(r.Value, 1e-5, 1e-2));
        Assert.Contains("efficiency_3gpu_p2p_on", run.Record.Summary.Keys);
    }

    [Fact]
    public void Driver_545_hangs_are_hung_rows_and_a_finding_not_numbers()
    {
        var store = new RunStore(temp.FullName);
        using var rig = TestRigs.Sim("blog-3x3090-driver545");
        var report = SimulatedTrainScaling.Run(store, rig, TransformerShape.Reference, [1, 3], [true]);
        var run = store.Load(report.RunId);
        var hung = Assert.Single(run.Rows, r => r.Status == RowStatus.Hung);
        Assert.Equal("3", hung.Parameter("gpus"));
        Assert.Contains(run.Record.Findings, f => f.Code == "train-scaling-hang");
    }
}
