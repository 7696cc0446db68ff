using System.CommandLine;
using System.Globalization;
using RigNotebooks.Errors;
using RigNotebooks.Interactive.Runner;
using Spectre.Console;

namespace RigNotebooks.Cli.Commands;

/// <summary>`rig notebook run &lt;paths…&gt; [--rig …] [--out &lt;dir&gt;]`: executes C# notebooks headless, in this process,
/// stopping at the first failing cell (exit 1, with the cell's error); writes each executed .ipynb and an offline HTML copy.</summary>
public static class NotebookCommand
{
    public static Command Create(GlobalOptions options, TextWriter stdout, TextWriter stderr)
    {
        var notebook = new Command("notebook", "Run the kit's notebooks headless.");
        var paths = new Argument<string[]>("paths") { Description = "Notebooks (.ipynb) to run, in order.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--out") { Description = "Where the executed notebooks and their HTML copies go (default: <results>/notebooks)." };
        var run = CommandFactory.Create(
            "run",
            "Execute notebooks in order; stop at the first failing cell. Writes <name>.ipynb with outputs and <name>.html (offline) per notebook. --rig replaces the rig in each notebook's parameter cell.",
            options,
            (c, ct) => RunAsync(c, c.Get(paths)!, c.Get(output), c.Parse.GetResult(options.Rig) is { Implicit: false } ? c.RigSpec : null, ct),
            stdout,
            stderr);
        run.Arguments.Add(paths);
        run.Options.Add(output);
        notebook.Subcommands.Add(run);
        return notebook;
    }

    private static async Task<int> RunAsync(CommandContext context, string[] paths, string? output, string? rig, CancellationToken ct)
    {
        foreach (var path in paths)
        {
            if (!File.Exists(path) || !path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
            {
                throw new RigInputException($"'{path}' is not a notebook file (.ipynb).");
            }
        }

        var folder = output ?? Path.Combine(context.Store.Root, "notebooks");
        var results = new List<NotebookRunResult>();
        foreach (var path in paths)
        {
            context.Console.MarkupLine($"running [bold]{Markup.Escape(path)}[/]{(rig is null ? "" : $" on {Markup.Escape(rig)}")} …");
            var result = await NotebookRunner.RunAsync(path, new NotebookRunOptions(folder, rig), ct).ConfigureAwait(false);
            results.Add(result);
            var seconds = result.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
            if (!result.Succeeded)
            {
                context.Console.MarkupLine($"[red]failed[/] at cell {result.FailedCell} after {seconds} s; outputs so far: {Markup.Escape(result.ExecutedNotebook)}");
                await context.Stderr.WriteLineAsync($"error: {path}, cell {result.FailedCell}: {result.Error}").ConfigureAwait(false);
                break;
            }

            context.Console.MarkupLine($"[green]ok[/] {result.CellsRun} cells, {result.Charts} charts, {seconds} s → {Markup.Escape(result.ExecutedNotebook)}, {Markup.Escape(result.HtmlCopy)}");
        }

        if (context.Json)
        {
            context.WriteJson(results);
        }

        return results.All(r => r.Succeeded) ? ExitCodes.Ok : ExitCodes.Findings;
    }
}
