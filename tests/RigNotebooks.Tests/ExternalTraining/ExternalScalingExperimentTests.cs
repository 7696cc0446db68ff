using RigNotebooks.ExternalTraining;
using RigNotebooks.Host;
using RigNotebooks.Results;

namespace RigNotebooks.Tests.ExternalTraining;

public sealed class ExternalScalingExperimentTests : IDisposable
{
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("rig-extrun-");

    public void Dispose() => temp.Delete(recursive: true);

    [Fact]
    public void A_sweep_writes_rows_logs_and_findings_and_a_hang_does_not_stop_it()
    {
        var script = Path.Combine(temp.FullName, "train.sh");
        File.WriteAllText(script, """
            n=$1
            if [ "${NCCL_P2P_DISABLE:-0}" = "1" ] && [ "$n" -gt 1 ]; then echo "init done"; sleep 20; fi
            echo "warm-up 10 tokens/s"
            echo "$(( 950 * n )) tokens/s"
            """);
        var store = new RunStore(Path.Combine(temp.FullName, "results"));
        var report = ExternalScalingExperiment.Run(
            store,
            HostDescription.Describe("host"),
            CommandTemplate.Parse($"bash {script} {{gpus}}"),
            ExternalRunCase.Sweep([1, 2], [true, false]),
            new ExternalRunOptions(Timeout: TimeSpan.FromSeconds(10), SilenceTimeout: TimeSpan.FromMilliseconds(400)));

        var run = store.Load(report.RunId);
        Assert.Equal(RunStatus.Completed, run.Record.Status);
        Assert.Equal(Model.DataSource.Measured, run.Record.Source);
        var tokens = run.Rows.Where(r => r.Metric == "tokens_per_s").ToList();
        Assert.Equal(4, tokens.Count);
        Assert.All(tokens, r => Assert.Equal("train-scaling", r.Experiment));
        var twoOn = tokens.Single(r => r.Parameter("gpus") == "2" && r.Parameter("p2p") == "on");
        Assert.Equal(1900, twoOn.Value);
        var efficiency = run.Rows.Single(r => r.Metric == "efficiency" && r.Parameter("gpus") == "2");
        Assert.Equal(100.0, efficiency.Value, 6);
        var hung = tokens.Single(r => r.Parameter("gpus") == "2" && r.Parameter("p2p") == "off");
        Assert.Equal(RowStatus.Hung, hung.Status);
        Assert.Contains("logs/", hung.Note);
        Assert.Equal("train-cmd-hung", Assert.Single(run.Record.Findings).Code);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(run.Folder, "logs")).Length);
    }

    [Fact]
    public void With_telemetry_each_case_is_an_energy_window_and_the_samples_join_the_run()
    {
        var script = Path.Combine(temp.FullName, "steady.sh");
        File.WriteAllText(script, "sleep 0.6; echo \"1000 tokens/s\"\n");
        var store = new RunStore(Path.Combine(temp.FullName, "results"));
        var report = ExternalScalingExperiment.Run(
            store,
            HostDescription.Describe("host"),
            CommandTemplate.Parse($"bash {script}"),
            ExternalRunCase.Sweep([1], [true]),
            new ExternalRunOptions(Timeout: TimeSpan.FromSeconds(10), SilenceTimeout: TimeSpan.FromSeconds(5)),
            telemetry: new ConstantPowerTelemetry(200),
            clock: RigNotebooks.Telemetry.WallClock.Shared);

        var rows = store.Load(report.RunId).Rows;
        Assert.Contains(rows, r => r.Case == "telemetry" && r.Metric == "power");
        var energy = Assert.Single(rows, r => r.Case == "external" && r.Metric == "energy");
        var perToken = Assert.Single(rows, r => r.Case == "external" && r.Metric == "energy_per_token");
        Assert.True(energy.Value > 0);
        Assert.Equal("J", perToken.Unit);
        // 200 W for the case's duration over 1000 tokens/s: 0.2 J per token, whatever the case lasted. The stand-in's
        // counter is read a moment after the sampler stamps the sample; on a loaded 2-core machine that moment is a few
        // percent of this sub-second window (0.19 was seen at load 30), hence ±10 % — a wrong formula is off by far more.
        Assert.InRange(perToken.Value, 0.18, 0.22);
        Assert.Contains("start-up included", perToken.Note, StringComparison.Ordinal);
    }

    /// <summary>A GPU drawing a constant power on the wall clock, with an energy counter to match.</summary>
    private sealed class ConstantPowerTelemetry(double powerW) : RigNotebooks.Telemetry.IGpuTelemetry
    {
        public int GpuCount => 1;

        public RigNotebooks.Telemetry.GpuReading Read(int gpu) =>
            new(powerW, powerW, powerW * RigNotebooks.Telemetry.WallClock.Shared.NowS, 50, null, 1500, null, 100, null, null, 0, null, null);
    }
}
