using System.CommandLine;
using RigNotebooks.Cli.Views;
using RigNotebooks.Doctor;
using RigNotebooks.Experiments;
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
        var result = await Experiment.DoctorAsync(context.Store, rig, deep, suite.RunOptions(context), cancellationToken: ct).ConfigureAwait(false);
        var (findings, events) = (result.Findings, result.Watchdog);
        var worst = result.Worst?.ToString().ToLowerInvariant() ?? "none";

        if (context.Json)
        {
            context.WriteJson(new DoctorReport(context.RigSpec, rig.Source.ToString().ToLowerInvariant(), result.RunId, worst, findings, deep, events));
        }
        else
        {
            context.Console.MarkupLine($"[bold]rig doctor[/] {Markup.Escape(context.RigSpec)} ({rig.Source.ToString().ToLowerInvariant()})");
            foreach (var e in events)
            {
                context.Console.MarkupLine($"[yellow]watchdog:[/] {Markup.Escape(e)}");
            }

            FindingsView.Render(context.Console, findings);
            context.ShowRun(result.RunId);
        }

        return result.HasErrors ? ExitCodes.Findings : ExitCodes.Ok;
    }

    private sealed record DoctorReport(string Rig, string Source, string RunId, string Worst, IReadOnlyList<Finding> Findings, bool Deep, IReadOnlyList<string> Watchdog);
}
