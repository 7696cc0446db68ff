using System.CommandLine;
using System.Globalization;
using RigNotebooks.Bandwidth;
using RigNotebooks.Bandwidth.Cases;
using RigNotebooks.Bandwidth.Execution;
using RigNotebooks.Cli.Views;
using RigNotebooks.Doctor;
using RigNotebooks.Errors;
using RigNotebooks.Experiments;
using Spectre.Console;

namespace RigNotebooks.Cli.Commands;

/// <summary>`rig allreduce`: an nccl-tests style all-reduce sweep (time, algbw, busbw, #wrong), P2P on and off,
/// out-of-place and in-place, each P2P mode in its own watched child process.</summary>
public static class AllReduceCommand
{
    public static Command Create(GlobalOptions options, TextWriter stdout, TextWriter stderr)
    {
        var minBytes = new Option<string>("--min-bytes", "-b") { Description = "Smallest size per rank (bytes or K/M/G; default 8)." };
        var maxBytes = new Option<string>("--max-bytes", "-e") { Description = "Largest size per rank (default 256M)." };
        var factor = new Option<int?>("--step-factor", "-f") { Description = "Multiply the size by this each step (default 2)." };
        var iters = new Option<int?>("--iters", "-n") { Description = "Timed iterations per size (default 20)." };
        var warmup = new Option<int?>("--warmup-iters", "-w") { Description = "Warm-up iterations per size (default 1)." };
        var gpus = new Option<string>("--gpus") { Description = "Comma-separated GPU indices in ring order (default: all)." };
        var p2p = new Option<string>("--p2p") { Description = "on, off (NCCL_P2P_DISABLE=1) or both (default).", DefaultValueFactory = _ => "both" };
        var place = new Option<string>("--place") { Description = "out (out-of-place), in (in-place) or both (default).", DefaultValueFactory = _ => "both" };
        var noCheck = new Option<bool>("--no-check") { Description = "Skip the data check (#wrong)." };
        var suite = new SuiteOptions();

        var command = CommandFactory.Create(
            "allreduce",
            "All-reduce bus bandwidth across sizes, like nccl-tests all_reduce_perf -b 8 -e 256M -f 2, P2P on and off (exit 1 on a hang or wrong data).",
            options,
            (context, ct) =>
            {
                var defaults = new AllReduceSpec();
                var spec = defaults with
                {
                    MinBytes = SuiteOptions.Size(context, minBytes, defaults.MinBytes),
                    MaxBytes = SuiteOptions.Size(context, maxBytes, defaults.MaxBytes),
                    StepFactor = context.Get(factor) ?? defaults.StepFactor,
                    Iterations = context.Get(iters) ?? defaults.Iterations,
                    WarmupIterations = context.Get(warmup) ?? defaults.WarmupIterations,
                    Gpus = context.Get(gpus) is { Length: > 0 } list ? ParseGpus(list) : null,
                    PeerToPeerModes = Modes(context.Get(p2p) ?? "both", "--p2p", "on", "off", trueFirst: false),
                    InPlaceModes = Modes(context.Get(place) ?? "both", "--place", "in", "out", trueFirst: false),
                    CheckData = !context.Get(noCheck),
                    DeadlineSeconds = context.Get(suite.Deadline),
                };
                return RunAsync(context, spec, suite.RunOptions(context), ct);
            },
            stdout,
            stderr);
        suite.AddTo(command, minBytes, maxBytes, factor, iters, warmup, gpus, p2p, place, noCheck);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, AllReduceSpec spec, SuiteRunOptions runOptions, CancellationToken ct)
    {
        spec.Validate();
        context.Store.EnsureWritable();
        using var rig = context.OpenRig();
        var description = rig.Describe();
        var items = BandwidthCases.PlanAllReduce(description, new CaseSettings(new BandwidthSpec(), spec));
        var experiment = await SuiteProgressView.RunAsync(context, items.Count, progress =>
            Experiment.AllReduceAsync(context.Store, rig, spec, progress, runOptions, ct)).ConfigureAwait(false);
        var (outcome, report, findings) = (experiment.Report.Suite, experiment.Report.Report, experiment.Findings);
        var run = experiment.Run;
        if (context.Json)
        {
            context.WriteJson(new
            {
                rig = context.RigSpec,
                source = rig.Source.ToString().ToLowerInvariant(),
                runId = run.Id,
                ranks = report.Ranks,
                spec,
                results = report.Lines,
                averageBusBwGBps = report.AverageBusBwGBps,
                notMeasured = report.NotMeasured,
                watchdog = outcome.Events,
                findings,
            });
        }
        else
        {
            AllReduceView.Render(context.Console, context.RigSpec, rig.Source, report);
            SuiteCommand.RenderEnd(context, outcome.Events, findings, run.Id);
        }

        return ExitCodes.For(findings);
    }

    private static List<int> ParseGpus(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? g : throw new RigInputException($"--gpus: '{t}' is not a GPU index."))
            .ToList();

    private static List<bool> Modes(string text, string option, string trueName, string falseName, bool trueFirst) => text.Trim().ToLowerInvariant() switch
    {
        "both" => trueFirst ? [true, false] : [false, true],
        var t when t == trueName => [true],
        var t when t == falseName => [false],
        _ => throw new RigInputException($"{option}: '{text}' is not one of {trueName}, {falseName}, both."),
    };
}
