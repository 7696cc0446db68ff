using System.Diagnostics;
using RigNotebooks.Errors;
using RigNotebooks.ExternalTraining;
using RigNotebooks.Results;

namespace RigNotebooks.Tests.ExternalTraining;

/// <summary>The user's-command path driven with real child processes (small bash scripts), each well under a second
/// or two.</summary>
public sealed class ExternalTrainingRunnerTests : IDisposable
{
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("rig-ext-");

    public void Dispose() => temp.Delete(recursive: true);

    [Fact]
    public void A_good_run_reports_the_median_throughput_after_warm_up_and_keeps_its_log()
    {
        var script = Script("ok.sh", """
            echo "args: $@"
            echo "env: CUDA_VISIBLE_DEVICES=$CUDA_VISIBLE_DEVICES NCCL_P2P_DISABLE=${NCCL_P2P_DISABLE:-unset}"
            echo "step 1 loss 4.1 | 100.0 tokens/s"
            echo "step 2 loss 3.9 | 1000.0 tokens/s"
            echo "warning on stderr" >&2
            echo "step 3 loss 3.7 | 1200.5 tokens/s"
            echo "step 4 loss 3.5 | 1100.0 tokens/s"
            """);
        var template = CommandTemplate.Parse($"bash {script} --nproc_per_node={{gpus}} --ids '{{gpu_ids}}' \"two words\"");
        var @case = ExternalRunCase.Sweep([2], [false]).Single();
        var result = Run(template, @case);

        Assert.Equal(ExternalRunOutcome.Ok, result.Outcome);
        Assert.Equal(1100.0, result.Throughput); // median of 1000, 1200.5, 1100 (the first report is warm-up)
        Assert.Equal("tokens/s", result.ThroughputUnit);
        Assert.Equal(4, result.Samples.Count);
        Assert.Null(ExternalTrainingRunner.FindingFor(result));
        var log = File.ReadAllText(result.LogPath);
        Assert.Contains("args: --nproc_per_node=2 --ids 0,1 two words", log);
        Assert.Contains("CUDA_VISIBLE_DEVICES=0,1 NCCL_P2P_DISABLE=1", log);
        Assert.Contains("[stderr] warning on stderr", log);
        Assert.Equal(RowStatus.Ok, result.RowStatus);
    }

    [Fact]
    public void A_non_zero_exit_is_a_failed_result_with_an_error_finding()
    {
        var script = Script("fail.sh", """
            echo "loading"
            echo "RuntimeError: NCCL error in: ProcessGroupNCCL.cpp" >&2
            exit 3
            """);
        var result = Run(CommandTemplate.Parse($"bash {script}"), One());
        Assert.Equal(ExternalRunOutcome.Failed, result.Outcome);
        Assert.Equal(3, result.ExitCode);
        var finding = ExternalTrainingRunner.FindingFor(result)!;
        Assert.Equal("train-cmd-failed", finding.Code);
        Assert.Contains("NCCL error", finding.Evidence);
        Assert.Equal(RowStatus.Failed, result.RowStatus);
    }

    [Fact]
    public void A_silent_run_is_killed_as_hung_with_its_children()
    {
        var pidFile = Path.Combine(temp.FullName, "child.pid");
        var script = Script("hang.sh", $"""
            echo "NCCL INFO Channel 00 : 0[0] -> 1[1] via P2P/direct pointer"
            sleep 30 &
            echo $! > {pidFile}
            wait
            """);
        var clock = Stopwatch.StartNew();
        var result = Run(CommandTemplate.Parse($"bash {script}"), ExternalRunCase.Sweep([2], [true]).Single(), silence: TimeSpan.FromMilliseconds(400));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(ExternalRunOutcome.Hung, result.Outcome);
        Assert.Contains("no output for", result.Note);
        var finding = ExternalTrainingRunner.FindingFor(result)!;
        Assert.Equal("train-cmd-hung", finding.Code);
        Assert.Contains("P2P", finding.Remedy);
        Assert.Equal(RowStatus.Hung, result.RowStatus);

        var child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(IsAlive(child), "the hung script's child (sleep) survived the kill");
    }

    [Fact]
    public void A_run_past_its_time_limit_is_hung_even_while_it_prints()
    {
        var script = Script("chatty.sh", """
            while true; do echo "still warming up"; sleep 0.05; done
            """);
        var result = Run(CommandTemplate.Parse($"bash {script}"), One(), timeout: TimeSpan.FromMilliseconds(500));
        Assert.Equal(ExternalRunOutcome.Hung, result.Outcome);
        Assert.Contains("time limit", result.Note);
    }

    [Fact]
    public void A_clean_exit_without_a_throughput_line_is_a_warning_not_a_crash()
    {
        var script = Script("quiet.sh", """
            echo "epoch 1 done, loss 3.2"
            """);
        var result = Run(CommandTemplate.Parse($"bash {script}"), One());
        Assert.Equal(ExternalRunOutcome.NoThroughput, result.Outcome);
        Assert.Equal("train-cmd-no-throughput", ExternalTrainingRunner.FindingFor(result)!.Code);
    }

    [Fact]
    public void A_custom_regex_reads_the_users_own_format()
    {
        var script = Script("custom.sh", """
            echo "throughput=10 samples per second"
            echo "throughput=20 samples per second"
            """);
        var options = new ExternalRunOptions(@"throughput=(?<value>\d+)", WarmupMatches: 0);
        var result = ExternalTrainingRunner.Run(CommandTemplate.Parse($"bash {script}"), One(), options, Path.Combine(temp.FullName, "custom.log"));
        Assert.Equal(15.0, result.Throughput);
        Assert.Throws<RigInputException>(() => new ExternalRunOptions(@"(\d+) tokens").Regex());
    }

    [Fact]
    public void A_missing_program_is_a_failed_result()
    {
        var result = Run(CommandTemplate.Parse("/nonexistent/torchrun --nproc_per_node={gpus}"), One());
        Assert.Equal(ExternalRunOutcome.Failed, result.Outcome);
        Assert.Contains("could not start", result.Note);
    }

    [Fact]
    public void Templates_split_like_a_shell_but_run_without_one()
    {
        var t = CommandTemplate.Parse("torchrun --nproc_per_node={gpus} 'my script.py' --msg \"a \\\"b\\\"\" $HOME;rm");
        Assert.Equal(["torchrun", "--nproc_per_node=3", "my script.py", "--msg", "a \"b\"", "$HOME;rm"], t.Expand([0, 1, 2]));
        Assert.Equal(["{gpu}"], CommandTemplate.Parse("x --n={gpu}").UnknownPlaceholders());
        Assert.Throws<RigInputException>(() => CommandTemplate.Parse("x 'open"));
        Assert.Throws<RigInputException>(() => CommandTemplate.Parse("   "));
    }

    private static ExternalRunCase One() => ExternalRunCase.Sweep([1], [true]).Single();

    private ExternalRunResult Run(CommandTemplate template, ExternalRunCase @case, TimeSpan? silence = null, TimeSpan? timeout = null) =>
        ExternalTrainingRunner.Run(
            template,
            @case,
            new ExternalRunOptions(Timeout: timeout ?? TimeSpan.FromSeconds(10), SilenceTimeout: silence ?? TimeSpan.FromSeconds(5)),
            Path.Combine(temp.FullName, "logs", $"{Guid.NewGuid():N}.log"));

    private string Script(string name, string body)
    {
        var path = Path.Combine(temp.FullName, name);
        File.WriteAllText(path, "set -u\n" + body + "\n");
        return path;
    }

    private static bool IsAlive(int pid)
    {
        for (var i = 0; i < 20; i++)
        {
            if (!Directory.Exists($"/proc/{pid}"))
            {
                return false;
            }

            try
            {
                if (File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] == "Z")
                {
                    return false;
                }
            }
            catch (IOException)
            {
                return false; // gone between the two looks
            }

            Thread.Sleep(50);
        }

        return true;
    }
}
