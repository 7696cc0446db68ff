using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using RigNotebooks.Bandwidth;
using RigNotebooks.Data;
using RigNotebooks.Doctor;
using RigNotebooks.Results;
using Spectre.Console;

namespace RigNotebooks.Cli.Commands;

/// <summary>`rig doctor`: findings with evidence and remedies; exit 1 when any is at error level.</summary>
public static class DoctorCommand
{
    public static Command Create(GlobalOptions options, TextWriter stdout, TextWriter stderr)
    {
        var deep = new Option<bool>("--deep")
        {
            Description = "Also run the quick P2P correctness and hang check (peer data check, P2P on vs off, a tiny all-reduce) through the watchdog.",
        };
        var suite = new SuiteOptions();
        var command = CommandFactory.Create(
            "doctor",
            "Examine the rig and report findings with remedies (exit 1 on an error-level finding).",
            options,
            (context, ct) => RunAsync(context, context.Get(deep), suite, ct),
            stdout,
            stderr);
        suite.AddTo(command, deep);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, bool deep, SuiteOptions suite, CancellationToken ct)
    {
        context.Store.EnsureWritable();
        using var rig = context.OpenRig();
        var description = rig.Describe();
        var findings = RigDoctor.Standard.Examine(new DoctorInput(description, DoctorInput.CurrentEnvironment(), ReferenceData.Default)).ToList();

        using var run = context.Store.Create("doctor", new JsonObject { ["rig"] = context.RigSpec, ["deep"] = deep }, description);
        IReadOnlyList<string> events = [];
        if (deep)
        {
            DeepCheckResult result;
            try
            {
                result = await DeepCheck.RunAsync(rig, run.Write, suite.RunOptions(context), ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                run.Cancel();
                throw;
            }

            events = result.Events;
            findings = [.. findings.Concat(result.Findings).OrderByDescending(f => f.Severity).ThenBy(f => f.Code, StringComparer.Ordinal)];
        }

        foreach (var f in findings)
        {
            run.Write(ResultRow.Ok("doctor", f.Code, null, null, "severity", (int)f.Severity, "level", rig.Source) with { Note = f.Title });
        }

        var worst = findings.Count == 0 ? "none" : findings.Max(f => f.Severity).ToString().ToLowerInvariant();
        run.Complete(new Dictionary<string, string>
        {
            ["worst"] = worst,
            ["findings"] = findings.Count.ToString(CultureInfo.InvariantCulture),
        }, findings);

        if (context.Json)
        {
            context.WriteJson(new DoctorReport(context.RigSpec, rig.Source.ToString().ToLowerInvariant(), run.Id, worst, findings, deep, events));
        }
        else
        {
            context.Console.MarkupLine($"[bold]rig doctor[/] {Markup.Escape(context.RigSpec)} ({rig.Source.ToString().ToLowerInvariant()})");
            SuiteCommand.RenderEnd(context, events, findings, run.Id);
        }

        return ExitCodes.For(findings);
    }

    private sealed record DoctorReport(string Rig, string Source, string RunId, string Worst, IReadOnlyList<Finding> Findings, bool Deep, IReadOnlyList<string> Watchdog);
}
