using System.Text.Json;

namespace RigNotebooks.Cli.Tests;

/// <summary>
/// The two training steps of the GPU check, driven here without a GPU: `rig train --nccl-selftest` against the
/// stand-in CUDA driver and NCCL (compiled from C; no evidence about GPUs, only that the command runs its checks and
/// reports them), and `rig train --cmd` with benchmarks/torch_ddp_step.py behind a fake torchrun that checks the
/// arguments the GPU check passes and runs the script's dry run (python3, no torch needed).
/// </summary>
public sealed class GpuCheckTrainCliTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void StandIn_nccl_selftest_prints_every_check_as_json_and_exits_0()
    {
        var cuda = StandInCompiler.Build("cuda_standin.c", temp.Path);
        var nccl = StandInCompiler.Build("nccl_standin.c", temp.Path);

        var env = new Dictionary<string, string?> { ["RIG_CUDA_LIBRARY"] = cuda, ["RIG_NCCL_LIBRARY"] = nccl };
        var run = RigProcess.Run(temp.Path, env, TimeSpan.FromSeconds(90), "train", "--nccl-selftest", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.True(root.GetProperty("correct").GetBoolean());
        Assert.Equal("nccl-selftest", root.GetProperty("experiment").GetString());
        var result = root.GetProperty("result");
        Assert.Equal(nccl, result.GetProperty("ncclLibrary").GetString());
        Assert.Equal("2.21.5", result.GetProperty("ncclVersion").GetString());
        Assert.True(result.GetProperty("nonBlocking").GetBoolean());
        Assert.Equal(64L << 20, result.GetProperty("bytes").GetInt64());
        Assert.Equal(4, result.GetProperty("checks").GetArrayLength());
        Assert.All(result.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("correct").GetBoolean()));
        Assert.True(result.GetProperty("abortWorked").GetBoolean());
        Assert.True(result.GetProperty("algBandwidthGBps").GetDouble() > 0);
    }

    [Fact]
    public void StandIn_cuda_reporting_a_system_driver_mismatch_makes_the_nccl_selftest_exit_3_naming_it_and_the_fix()
    {
        var cuda = StandInCompiler.Build("cuda_standin.c", temp.Path);
        var nccl = StandInCompiler.Build("nccl_standin.c", temp.Path);

        var env = new Dictionary<string, string?> { ["RIG_CUDA_LIBRARY"] = cuda, ["RIG_NCCL_LIBRARY"] = nccl, ["STANDIN_CUDA_INIT_RESULT"] = "803" };
        var run = RigProcess.Run(temp.Path, env, TimeSpan.FromSeconds(60), "train", "--nccl-selftest", "--json");
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("CUDA driver: cuInit failed: system has unsupported display driver / cuda driver combination (CUDA_ERROR_SYSTEM_DRIVER_MISMATCH = 803).", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("after a driver update, reboot", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Nccl_selftest_without_a_driver_exits_3_and_says_where_it_looked()
    {
        var env = new Dictionary<string, string?> { ["RIG_CUDA_LIBRARY"] = "/nonexistent/libcuda.so.1" };
        var run = RigProcess.Run(temp.Path, env, TimeSpan.FromSeconds(60), "train", "--nccl-selftest", "--json");
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("RIG_CUDA_LIBRARY=/nonexistent/libcuda.so.1", run.Stderr);
    }

    [Fact]
    public void The_torch_ddp_sample_runs_per_case_through_a_fake_torchrun_with_the_gpu_checks_arguments()
    {
        var script = Path.Combine(RepoRoot.Path, "benchmarks", "torch_ddp_step.py");
        var log = temp.File("torchrun.log");
        var torchrun = temp.File("torchrun");
        File.WriteAllText(torchrun, """
            #!/usr/bin/env bash
            # Stands in for torchrun: checks the arguments the GPU check passes, then runs the script's dry run.
            set -euo pipefail
            [ "$1" = "--standalone" ] || { echo "expected --standalone first, got $1" >&2; exit 9; }
            case "$2" in --nproc_per_node=*) n=${2#--nproc_per_node=} ;; *) echo "expected --nproc_per_node=N, got $2" >&2; exit 9 ;; esac
            script=$3; shift 3
            [ -f "$script" ] || { echo "no script $script" >&2; exit 9; }
            visible=$(echo "$CUDA_VISIBLE_DEVICES" | tr ',' '\n' | wc -l)
            [ "$visible" = "$n" ] || { echo "CUDA_VISIBLE_DEVICES=$CUDA_VISIBLE_DEVICES for $n processes" >&2; exit 9; }
            echo "n=$n visible=$CUDA_VISIBLE_DEVICES p2p_disable=${NCCL_P2P_DISABLE:-}" >> "$TORCHRUN_LOG"
            WORLD_SIZE=$n exec python3 "$script" "$@" --dry-run
            """.Replace("\r", string.Empty, StringComparison.Ordinal));

        var run = RigProcess.Run(temp.Path, null, TimeSpan.FromSeconds(120),
            "train", "--cmd", $"bash {torchrun} --standalone --nproc_per_node={{gpus}} {script} --model tiny --steps 5",
            "--gpus", "1,2", "--p2p", "on,off", "--env", $"TORCHRUN_LOG={log}", "--json", "--results", temp.File("results"));

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var cases = json.RootElement.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(4, cases.Count);
        Assert.All(cases, c =>
        {
            Assert.Equal("ok", c.GetProperty("outcome").GetString());
            Assert.Equal("tokens/s", c.GetProperty("unit").GetString());
            Assert.Equal(1000.0 * c.GetProperty("gpus").GetInt32(), c.GetProperty("throughput").GetDouble()); // the dry run's made-up figure, per process
        });
        Assert.Equal(
            ["n=1 visible=0 p2p_disable=", "n=1 visible=0 p2p_disable=1", "n=2 visible=0,1 p2p_disable=", "n=2 visible=0,1 p2p_disable=1"],
            File.ReadAllLines(log));
        Assert.Empty(json.RootElement.GetProperty("findings").EnumerateArray());
    }
}
