using System.Globalization;
using System.Text.Json.Nodes;
using RigNotebooks.Doctor;
using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Telemetry;

namespace RigNotebooks.ExternalTraining;

/// <summary>
/// The scaling experiment for the user's own training command: every case (GPU count × P2P on/off × extra
/// environment) runs the command once, its log saved in the run folder (logs/), its throughput a
/// <c>train-scaling/external</c> row, its failure a hung/failed row plus a finding. Efficiency is each case's
/// throughput over (GPUs × the 1-GPU throughput with the same P2P setting). On a measured rig with telemetry, a
/// sampler runs for the whole experiment (its rows go into the same run) and each case is an energy window:
/// <c>energy</c> (J, every GPU of the rig, start-up included) and <c>energy_per_token</c> = the window's average power
/// over the case's throughput.
/// </summary>
public static class ExternalScalingExperiment
{
    public const string Experiment = "train-scaling";
    public const string Case = "external";

    public static ExternalScalingReport Run(
        RunStore store,
        RigDescription host,
        CommandTemplate template,
        IReadOnlyList<ExternalRunCase> cases,
        ExternalRunOptions options,
        IProgress<ExternalRunResult>? progress = null,
        IGpuTelemetry? telemetry = null,
        IRigClock? clock = null,
        CancellationToken cancellationToken = default)
    {
        var spec = new JsonObject
        {
            ["command"] = new JsonArray(template.Arguments.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
            ["cases"] = new JsonArray(cases.Select(c => (JsonNode)JsonValue.Create(c.Label)!).ToArray()),
            ["throughputRegex"] = options.ThroughputPattern,
            ["timeoutS"] = options.RunTimeout.TotalSeconds,
            ["silenceS"] = options.Silence.TotalSeconds,
        };
        using var run = store.Create(Experiment, spec, host);
        using var sampler = telemetry is null ? null : TelemetrySampler.ForRun(run, telemetry, clock ?? WallClock.Shared);
        sampler?.Start();
        var results = new List<ExternalRunResult>();
        var findings = new List<Finding>();
        try
        {
            foreach (var c in cases)
            {
                var log = Path.Combine(run.Folder, "logs", $"{Safe(c.Label)}.log");
                var window = sampler?.BeginWindow(c.Label);
                var result = ExternalTrainingRunner.Run(template, c, options, log, cancellationToken);
                var energy = window is null ? null : sampler!.EndWindow(window);
                results.Add(result);
                var parameters = Parameters(c);
                var unit = result.ThroughputUnit is "tokens/s" or "tok/s" ? "tokens/s" : "units/s";
                if (result.Outcome == ExternalRunOutcome.Ok)
                {
                    run.Write(ResultRow.Ok(Experiment, Case, null, null, "tokens_per_s", result.Throughput!.Value, unit, DataSource.Measured, parameters) with { Note = result.Note });
                    if (energy is { TotalEnergyJ: > 0, ElapsedS: > 0 } && unit == "tokens/s")
                    {
                        var note = $"all {energy.Gpus.Count} GPU(s) over the case ({energy.ElapsedS:0.0} s, start-up included; energy by {energy.EnergyMethods})";
                        run.Write(ResultRow.Ok(Experiment, Case, null, null, "energy", energy.TotalEnergyJ, "J", DataSource.Measured, parameters) with { Note = note });
                        run.Write(ResultRow.Ok(Experiment, Case, null, null, "energy_per_token", energy.TotalEnergyJ / energy.ElapsedS / result.Throughput!.Value, "J", DataSource.Measured, parameters) with { Note = note });
                    }

                    var baseline = results.FirstOrDefault(r => r.Case.Gpus == 1 && r.Case.P2P == c.P2P && r.Outcome == ExternalRunOutcome.Ok);
                    if (baseline is not null)
                    {
                        run.Write(ResultRow.Ok(Experiment, Case, null, null, "efficiency", 100.0 * result.Throughput!.Value / (c.Gpus * baseline.Throughput!.Value), "%", DataSource.Measured, parameters));
                    }
                }
                else
                {
                    var status = result.RowStatus;
                    run.Write(ResultRow.NotMeasured(status, Experiment, Case, null, null, "tokens_per_s", unit, DataSource.Measured, $"{result.Note}; log {Path.GetRelativePath(run.Folder, log)}", parameters));
                }

                if (ExternalTrainingRunner.FindingFor(result) is { } finding)
                {
                    findings.Add(finding);
                    run.Summarize(findings: [finding]);
                }

                progress?.Report(result);
            }
        }
        catch (OperationCanceledException)
        {
            sampler?.Stop();
            run.Cancel();
            throw;
        }

        sampler?.Stop();

        var summary = new Dictionary<string, string>
        {
            ["cases"] = cases.Count.ToString(CultureInfo.InvariantCulture),
            ["ok"] = results.Count(r => r.Outcome == ExternalRunOutcome.Ok).ToString(CultureInfo.InvariantCulture),
        };
        run.Complete(summary);
        return new ExternalScalingReport(run.Id, run.Folder, results, findings);
    }

    private static Dictionary<string, string> Parameters(ExternalRunCase c)
    {
        var p = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["gpus"] = c.Gpus.ToString(CultureInfo.InvariantCulture),
            ["p2p"] = c.P2P,
        };
        foreach (var (k, v) in c.Environment.Where(e => e.Key != "NCCL_P2P_DISABLE"))
        {
            p[$"env.{k}"] = v;
        }

        return p;
    }

    private static string Safe(string label) => string.Concat(label.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_'));
}

public sealed record ExternalScalingReport(string RunId, string Folder, IReadOnlyList<ExternalRunResult> Results, IReadOnlyList<Finding> Findings);
