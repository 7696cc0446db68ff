using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using RigNotebooks.Cli.Views;
using RigNotebooks.Data;
using RigNotebooks.Doctor;
using RigNotebooks.Results;
using Spectre.Console;

namespace RigNotebooks.Cli.Commands;

/// <summary>`rig doctor`: findings with evidence and remedies; exit 1 when any is at error level.</summary>
public static class DoctorCommand
{
    public static Command Create(GlobalOptions options, TextWriter stdout, TextWriter stderr) =>
        CommandFactory.Create("doctor", "Examine the rig and report findings with remedies (exit 1 on an error-level finding).", options, RunAsync, stdout, stderr);

    private static Task<int> RunAsync(CommandContext context, CancellationToken ct)
    {
        context.Store.EnsureWritable();
        using var rig = context.OpenRig();
        var description = rig.Describe();
        var findings = RigDoctor.Standard.Examine(new DoctorInput(description, DoctorInput.CurrentEnvironment(), ReferenceData.Default));

        using var run = context.Store.Create("doctor", new JsonObject { ["rig"] = context.RigSpec }, description);
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
            context.WriteJson(new DoctorReport(context.RigSpec, rig.Source.ToString().ToLowerInvariant(), run.Id, worst, findings));
        }
        else
        {
            context.Console.MarkupLine($"[bold]rig doctor[/] {Markup.Escape(context.RigSpec)} ({rig.Source.ToString().ToLowerInvariant()})");
            FindingsView.Render(context.Console, findings);
            context.Console.MarkupLine($"[grey]run {run.Id} in {Markup.Escape(context.Store.Root)}[/]");
        }

        return Task.FromResult(findings.Any(f => f.Severity == Severity.Error) ? ExitCodes.Findings : ExitCodes.Ok);
    }

    private sealed record DoctorReport(string Rig, string Source, string RunId, string Worst, IReadOnlyList<Finding> Findings);
}
