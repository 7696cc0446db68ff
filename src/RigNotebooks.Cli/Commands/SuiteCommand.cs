using System.Text.Json;
using System.Text.Json.Nodes;
using RigNotebooks.Bandwidth.Execution;
using RigNotebooks.Cli.Views;
using RigNotebooks.Data;
using RigNotebooks.Doctor;
using RigNotebooks.Results;
using Spectre.Console;

namespace RigNotebooks.Cli.Commands;

/// <summary>What the commands that run cases through the watchdog share (bandwidth, allreduce; doctor --deep for the
/// ending): the run's spec, a cancelled suite marking its run cancelled, and the watchdog's events in the summary
/// and after the results.</summary>
internal static class SuiteCommand
{
    /// <summary>The spec as the run records it, with the rig it ran on.</summary>
    public static JsonObject SpecJson<TSpec>(TSpec spec, CommandContext context)
    {
        var json = JsonSerializer.SerializeToNode(spec, KitJson.Compact)!.AsObject();
        json["rig"] = context.RigSpec;
        return json;
    }

    /// <summary>Runs the suite behind the progress display; when it is cancelled the run is marked cancelled.</summary>
    public static async Task<T> RunAsync<T>(CommandContext context, RunWriter run, int cases, Func<IProgress<SuiteProgress>?, Task<T>> suite)
        where T : class
    {
        try
        {
            return await SuiteProgressView.RunAsync(context, cases, suite).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            run.Cancel();
            throw;
        }
    }

    /// <summary>The watchdog's events for the run's summary.</summary>
    public static string WatchdogSummary(IReadOnlyList<string> events) =>
        events.Count == 0 ? "nothing to report" : string.Join(" | ", events);

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
