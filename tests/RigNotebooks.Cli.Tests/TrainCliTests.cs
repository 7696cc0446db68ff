using System.Text.Json;

namespace RigNotebooks.Cli.Tests;

/// <summary>`rig train` end to end, as a process: real CPU training, the simulated scaling, the user's command.</summary>
public sealed class TrainCliTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Gpu_training_on_a_cpu_libtorch_build_is_refused_with_the_build_switch_and_no_run_left_behind()
    {
        var result = RigProcess.Run(temp.Path, null, TimeSpan.FromSeconds(60), "train", "--rig", "cuda", "--replicas", "2", "--steps", "2");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("-p:RigLibTorch=cuda", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "results")) && Directory.EnumerateFiles(Path.Combine(temp.Path, "results"), "rows.csv", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public void Cpu_replicas_really_train_and_the_loss_falls()
    {
        var result = RigProcess.Run(temp.Path, null, TimeSpan.FromSeconds(120), "train", "--rig", "cpu", "--replicas", "2", "--steps", "12", "--lr", "0.01", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal("measured", root.GetProperty("source").GetString());
        Assert.True(root.GetProperty("lossFell").GetBoolean(), result.Stdout);
        Assert.Equal(12, root.GetProperty("steps").GetArrayLength());
        Assert.True(root.GetProperty("result").GetProperty("tokensPerSecond").GetDouble() > 0);
        var rows = File.ReadAllText(Directory.GetFiles(Path.Combine(temp.Path, "results"), "rows.csv", SearchOption.AllDirectories).Single());
        Assert.Contains(",train,step,", rows, StringComparison.Ordinal);
        Assert.Contains("replicas=2", rows, StringComparison.Ordinal);
    }

    [Fact]
    public void The_simulated_reference_rig_scales_with_p2p_and_not_without()
    {
        var result = RigProcess.Run(temp.Path, "train", "--rig", "sim:blog-3x3090", "--gpus", "1,2,3", "--p2p", "on,off", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var points = json.RootElement.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(6, points.Count);
        double Efficiency(int gpus, string p2p) =>
            points.Single(p => p.GetProperty("gpus").GetInt32() == gpus && p.GetProperty("p2p").GetString() == p2p).GetProperty("efficiencyPct").GetDouble();
        Assert.True(Efficiency(3, "on") >= 90);
        Assert.True(Efficiency(3, "off") < Efficiency(3, "on") - 10);
        Assert.Equal("simulated", json.RootElement.GetProperty("source").GetString());
    }

    [Fact]
    public void The_users_command_runs_per_case_and_a_failure_is_a_finding()
    {
        var script = temp.File("train.sh");
        File.WriteAllText(script, "if [ \"$1\" -gt 1 ]; then echo boom >&2; exit 4; fi\necho \"warm 1 tokens/s\"\necho \"500 tokens/s\"\n");
        var result = RigProcess.Run(temp.Path, "train", "--cmd", $"bash {script} {{gpus}}", "--gpus", "1,2", "--p2p", "on", "--json");
        Assert.True(result.ExitCode == 1, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var cases = json.RootElement.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal("ok", cases[0].GetProperty("outcome").GetString());
        Assert.Equal(500, cases[0].GetProperty("throughput").GetDouble());
        Assert.Equal("failed", cases[1].GetProperty("outcome").GetString());
        Assert.Contains(json.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "train-cmd-failed");
        Assert.True(File.Exists(cases[1].GetProperty("log").GetString()));
    }

    [Fact]
    public void Bad_train_input_exits_2()
    {
        Assert.Equal(2, RigProcess.Run(temp.Path, "train", "--rig", "sim:blog-3x3090", "--gpus", "0,x").ExitCode);
        Assert.Equal(2, RigProcess.Run(temp.Path, "train", "--cmd", "run --n={gpu}").ExitCode);
        Assert.Equal(2, RigProcess.Run(temp.Path, "train", "--rig", "sim:blog-3x3090", "--gpus", "5").ExitCode);
    }
}
