using RigNotebooks.Cli.Views;
using RigNotebooks.Doctor;
using Spectre.Console;

namespace RigNotebooks.Cli.Commands;

/// <summary>What the commands that run cases through the watchdog share at their end (bandwidth, allreduce,
/// doctor --deep): the watchdog's events, the findings and where the run is. The runs themselves are written by the
/// one-call experiments (RigNotebooks.Experiments).</summary>
internal static class SuiteCommand
{
    /// <summary>After the results: the watchdog's events, the findings, and where the run is.</summary>
    public static void RenderEnd(CommandContext context, IReadOnlyList<string> events, IReadOnlyList<Finding> findings, string runId)
    {
        foreach (var e in events)
        {
            context.Console.MarkupLine($"[yellow]watchdog:[/] {Markup.Escape(e)}");
        }

        FindingsView.Render(context.Console, findings);
        context.ShowRun(runId);
    }
}
