using RigNotebooks.Errors;
using RigNotebooks.Simulation;
using RigNotebooks.Telemetry;
using RigNotebooks.Workloads;

namespace RigNotebooks.Tests.Workloads;

/// <summary>Runs small POSIX sh commands as stand-in workloads (given as an argument list, as a user's command would be).</summary>
public sealed class ExternalCommandWorkloadTests
{
    private static ExternalCommandSpec Sh(string script, string? rateRegex = null, string? countRegex = null, double? unitsPerRun = null, double silenceS = 30, double? timeoutS = null) =>
        new("/bin/sh", ["-c", script], new Dictionary<string, string> { ["RIG_TEST_RATE"] = "12.5" }, null, rateRegex, countRegex, unitsPerRun, "sample", silenceS, timeoutS);

    [Fact]
    public async Task Throughput_is_parsed_from_its_output_with_a_regex_and_the_extra_environment_reaches_it()
    {
        var clock = new WallClock();
        await using var w = new ExternalCommandWorkload(Sh("while true; do echo \"step done, $RIG_TEST_RATE samples/s\"; sleep 0.05; done", rateRegex: @"([\d.]+) samples/s"), clock);
        await w.StartAsync(default);
        var t0 = clock.NowS;
        await Task.Delay(600);
        var t = w.Meter.Throughput(t0, clock.NowS);
        await w.StopAsync();

        Assert.NotNull(t);
        Assert.Equal(12.5, t!.UnitsPerS, 9);
        Assert.Null(w.Failure);
    }

    [Fact]
    public async Task Units_per_run_repeat_the_command_and_count_each_clean_exit()
    {
        var clock = new WallClock();
        await using var w = new ExternalCommandWorkload(Sh("sleep 0.05; echo done", unitsPerRun: 10), clock);
        await w.StartAsync(default);
        // Two clean exits at least; how long a process start takes depends on the machine's load, so wait for it.
        await WaitFor(() => w.Meter.TotalUnits >= 20);
        await w.StopAsync();
        Assert.Equal(0, w.Meter.TotalUnits % 10);
    }

    [Fact]
    public async Task A_non_zero_exit_is_a_finding_and_a_failure()
    {
        var clock = new WallClock();
        await using var w = new ExternalCommandWorkload(Sh("echo starting; exit 3", rateRegex: "(x)"), clock);
        await w.StartAsync(default);
        await WaitFor(() => w.Failure is not null);
        Assert.Contains(w.Findings, f => f.Code == "workload-exit-nonzero" && f.Evidence.Contains("code 3"));
    }

    [Fact]
    public async Task Silence_is_a_finding_and_the_command_is_killed()
    {
        var clock = new WallClock();
        await using var w = new ExternalCommandWorkload(Sh("echo hello; sleep 30", rateRegex: "(x)", silenceS: 0.5), clock);
        await w.StartAsync(default);
        await WaitFor(() => w.Failure is not null);
        Assert.Contains(w.Findings, f => f.Code == "workload-silent");
    }

    [Fact]
    public void It_must_be_told_how_to_count_work_and_refuses_a_simulated_clock()
    {
        Assert.Throws<RigInputException>(() => new ExternalCommandWorkload(Sh("true"), new WallClock()));
        Assert.Throws<RigInputException>(() => new ExternalCommandWorkload(Sh("true", rateRegex: "(", countRegex: null), new WallClock()));
        using var simulated = new SimulatedClock(_ => { });
        Assert.Throws<RigInputException>(() => new ExternalCommandWorkload(Sh("true", unitsPerRun: 1), simulated));
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "condition not met within 5 s");
    }
}
