using System.CommandLine;
using RigNotebooks.Bandwidth;
using RigNotebooks.Bandwidth.Cases;
using RigNotebooks.Bandwidth.Execution;
using RigNotebooks.Cli.Views;
using RigNotebooks.Doctor;
using RigNotebooks.Experiments;
using Spectre.Console;

namespace RigNotebooks.Cli.Commands;

/// <summary>`rig bandwidth`: host↔device and GPU↔GPU bandwidth, latency and the P2P data check, P2P on and off,
/// measured like nvbandwidth, peer cases watched by the watchdog. Exit 1 on a hang, wrong data or a crash.</summary>
public static class BandwidthCommand
{
    public static Command Create(GlobalOptions options, TextWriter stdout, TextWriter stderr)
    {
        var size = new Option<string>("--size") { Description = "Buffer size per copy (bytes, or with K/M/G): default 512M, as nvbandwidth." };
        var copies = new Option<int?>("--copies") { Description = "Copies per sample (default 16)." };
        var samples = new Option<int?>("--samples") { Description = "Samples per case; the median is reported (default 3)." };
        var warmup = new Option<int?>("--warmup") { Description = "Warm-up copies before timing (default 4)." };
        var latencyIterations = new Option<int?>("--latency-iterations") { Description = "Tiny copies per latency sample (default 100)." };
        var checkSize = new Option<string>("--check-size") { Description = "Size of the full peer data check (default: the buffer size)." };
        var cases = new Option<string>("--cases") { Description = $"Comma-separated cases to run (default all): {string.Join(", ", BandwidthCases.BandwidthSuite.Select(c => c.Key))}." };
        var noPageable = new Option<bool>("--no-pageable") { Description = "Skip the pageable host-memory copies." };
        var suite = new SuiteOptions();

        var command = CommandFactory.Create(
            "bandwidth",
            "Measure host<->GPU and GPU<->GPU bandwidth, latency and P2P correctness, P2P on and off (exit 1 on a hang, wrong data or a crash).",
            options,
            (context, ct) =>
            {
                var defaults = new BandwidthSpec();
                var spec = defaults with
                {
                    BufferBytes = SuiteOptions.Size(context, size, defaults.BufferBytes),
                    CopiesPerSample = context.Get(copies) ?? defaults.CopiesPerSample,
                    Samples = context.Get(samples) ?? defaults.Samples,
                    WarmupCopies = context.Get(warmup) ?? defaults.WarmupCopies,
                    LatencyIterations = context.Get(latencyIterations) ?? defaults.LatencyIterations,
                    CheckFullBytes = context.Get(checkSize) is { Length: > 0 } c ? ByteSize.Parse(c, "--check-size") : null,
                    Cases = context.Get(cases) is { Length: > 0 } list ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(k => BandwidthCases.Find(k).Key).ToList() : null,
                    IncludePageable = !context.Get(noPageable),
                    DeadlineSeconds = context.Get(suite.Deadline),
                };
                return RunAsync(context, spec, suite.RunOptions(context), ct);
            },
            stdout,
            stderr);
        suite.AddTo(command, size, copies, samples, warmup, latencyIterations, checkSize, cases, noPageable);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, BandwidthSpec spec, SuiteRunOptions runOptions, CancellationToken ct)
    {
        spec.Validate();
        context.Store.EnsureWritable();
        using var rig = context.OpenRig();
        var description = rig.Describe();
        var items = BandwidthCases.PlanBandwidth(description, new CaseSettings(spec, new AllReduceSpec()));
        var experiment = await SuiteProgressView.RunAsync(context, items.Count, progress =>
            Experiment.BandwidthAsync(context.Store, rig, spec, progress, runOptions, ct)).ConfigureAwait(false);
        var (outcome, report, findings) = (experiment.Report.Suite, experiment.Report.Report, experiment.Findings);
        var worst = experiment.Worst?.ToString().ToLowerInvariant() ?? "none";
        var run = experiment.Run;

        if (context.Json)
        {
            context.WriteJson(new
            {
                rig = context.RigSpec,
                source = rig.Source.ToString().ToLowerInvariant(),
                runId = run.Id,
                worst,
                spec,
                host = report.Host,
                matrices = new { unidirectional = report.Unidirectional, bidirectional = report.Bidirectional, latency = report.Latency },
                correctness = report.Correctness,
                notMeasured = report.NotMeasured,
                watchdog = outcome.Events,
                findings,
            });
        }
        else
        {
            BandwidthView.Render(context.Console, context.RigSpec, rig.Source, report, description.Gpus.Count);
            SuiteCommand.RenderEnd(context, outcome.Events, findings, run.Id);
        }

        return ExitCodes.For(findings);
    }
}
