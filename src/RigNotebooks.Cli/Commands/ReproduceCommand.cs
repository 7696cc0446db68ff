using System.CommandLine;
using System.Globalization;
using RigNotebooks.Interactive.Runner;
using Spectre.Console;

namespace RigNotebooks.Cli.Commands;

/// <summary>`rig reproduce [--rig …] [--out &lt;dir&gt;]`: the main job. Replays the founding story end to end (every
/// experiment of notebook 00), writes its runs, an offline report.html with all charts and findings, and the executed
/// notebooks. Exit 0 when everything ran (the story's failing states have error-level findings by design); 1 when a
/// notebook failed.</summary>
public static class ReproduceCommand
{
    public static Command Create(GlobalOptions options, TextWriter stdout, TextWriter stderr)
    {
        var output = new Option<string?>("--out") { Description = "Where the runs, report.html and the executed notebooks go (default: <results>/reproduce)." };
        var notebooks = new Option<string?>("--notebooks") { Description = "The kit's notebooks folder (default: notebooks/ of the repository around the working directory or this program)." };
        var noNotebooks = new Option<bool>("--no-notebooks") { Description = "Only the runs and report.html; do not execute the notebooks." };
        var suite = new SuiteOptions();
        var command = CommandFactory.Create(
            "reproduce",
            "The main job: replay the founding story (driver 545 hang caught by the watchdog, the IOMMU variant, the fix, bandwidth, all-reduce, DDP scaling, the power-cap sweep, thermals, cost) and write its runs, an offline report.html and the executed notebooks.",
            options,
            (c, ct) => RunAsync(c, c.Get(output), c.Get(notebooks), !c.Get(noNotebooks), suite, ct),
            stdout,
            stderr);
        command.Options.Add(output);
        command.Options.Add(notebooks);
        command.Options.Add(noNotebooks);
        suite.AddTo(command);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string? output, string? notebooks, bool runNotebooks, SuiteOptions suite, CancellationToken ct)
    {
        var folder = Path.GetFullPath(output ?? Path.Combine(context.Store.Root, "reproduce"));
        if (notebooks is not null && !File.Exists(Path.Combine(notebooks, Reproduction.FirstNotebook)))
        {
            throw new Errors.RigInputException($"--notebooks: {notebooks} has no {Reproduction.FirstNotebook}.");
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        context.Console.MarkupLine($"[bold]rig reproduce[/] {Markup.Escape(context.RigSpec)} → {Markup.Escape(folder)}");
        var result = await Reproduction.RunAsync(
            new ReproductionOptions(folder, context.RigSpec, notebooks, runNotebooks, suite.RunOptions(context)),
            new SynchronousProgress<string>(line =>
            {
                lock (context.Console)
                {
                    context.Console.MarkupLine($"  {Markup.Escape(line)}");
                }
            }),
            ct).ConfigureAwait(false);

        static string S(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        if (context.Json)
        {
            context.WriteJson(new
            {
                rig = context.RigSpec,
                output = folder,
                report = result.ReportPath,
                reportCharts = result.ReportCharts,
                runs = result.Story.Runs.Select(r => new { id = r.RunId, experiment = r.Run.Record.Experiment, rig = r.Run.Record.Rig.RigId, source = r.Run.Record.Source.ToString().ToLowerInvariant(), findings = r.Findings.Count }),
                skipped = result.Story.Skipped,
                notebooks = result.Notebooks,
                notebooksNote = result.NotebooksNote,
                seconds = new { total = clock.Elapsed.TotalSeconds, story = result.StoryElapsed.TotalSeconds, report = result.ReportElapsed.TotalSeconds, notebooks = result.NotebooksElapsed.TotalSeconds },
            });
        }
        else
        {
            var story = result.Story;
            context.Console.MarkupLine($"[green]story[/] {story.Runs.Count} runs in {S(result.StoryElapsed)} s → {Markup.Escape(story.ResultsFolder)}");
            foreach (var (chapter, why) in story.Skipped)
            {
                context.Console.MarkupLine($"[yellow]skipped[/] {Markup.Escape(chapter)}: {Markup.Escape(why)}");
            }

            context.Console.MarkupLine($"[green]report[/] {result.ReportCharts} charts in {S(result.ReportElapsed)} s → {Markup.Escape(result.ReportPath)}");
            foreach (var n in result.Notebooks)
            {
                context.Console.MarkupLine(n.Succeeded
                    ? $"[green]notebook[/] {Markup.Escape(Path.GetFileName(n.Notebook))}: {n.CellsRun} cells, {n.Charts} charts, {S(n.Elapsed)} s → {Markup.Escape(n.ExecutedNotebook)}"
                    : $"[red]notebook[/] {Markup.Escape(Path.GetFileName(n.Notebook))} failed at cell {n.FailedCell}: {Markup.Escape(n.Error ?? "")}");
                if (n.LoadCellNote is not null)
                {
                    context.Console.MarkupLine($"[yellow]  load cell:[/] {Markup.Escape(n.LoadCellNote)}");
                }
            }

            if (result.NotebooksNote is not null)
            {
                context.Console.MarkupLine($"[yellow]{Markup.Escape(result.NotebooksNote)}[/]");
            }

            context.Console.MarkupLine($"done in {S(clock.Elapsed)} s (the story and the notebooks run side by side): open {Markup.Escape(result.ReportPath)}");
        }

        return result.NotebooksSucceeded ? ExitCodes.Ok : ExitCodes.Findings;
    }

    /// <summary>Reports on the caller's thread, in order (Progress&lt;T&gt; posts to the thread pool and may reorder lines).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
