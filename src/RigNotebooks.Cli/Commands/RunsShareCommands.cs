using System.CommandLine;
using System.Globalization;
using RigNotebooks.Results.Sharing;
using Spectre.Console;

namespace RigNotebooks.Cli.Commands;

/// <summary>`rig runs export|import`: one self-contained archive to post or send, optionally anonymised, and back.</summary>
public static class RunsShareCommands
{
    public static Command Export(GlobalOptions options, TextWriter stdout, TextWriter stderr)
    {
        var runs = new Argument<string[]>("runs") { Description = "The runs to export (ids, unique prefixes or folders).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out", "-o") { Description = "The archive to write (a .zip file).", Required = true };
        var anonymize = new Option<bool>("--anonymize")
        {
            Description = "Replace GPU UUIDs and serials, hostnames and user names (and so home paths) by aliases, the same alias for the same identifier across all exported runs; keep everything else.",
        };
        var force = new Option<bool>("--force") { Description = "Replace the archive if it exists." };
        var command = CommandFactory.Create("export", "Write runs into one self-contained zip (run.json, rows.csv and an offline HTML summary per run) to share.", options,
            (c, ct) =>
            {
                var loaded = c.Get(runs)!.Select(c.Store.Load).ToList();
                var result = RunArchive.Export(loaded, c.Get(output)!, new ExportOptions(c.Get(anonymize), c.Get(force)));
                if (c.Json)
                {
                    c.WriteJson(result);
                }
                else
                {
                    c.Console.MarkupLine($"wrote [bold]{Markup.Escape(result.Archive)}[/] ({result.Bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes): {result.Runs.Count} run(s)" +
                        (result.Anonymized ? $", anonymised ({result.Aliases.Count} identifier(s) replaced)" : string.Empty));
                    foreach (var run in result.Runs)
                    {
                        c.Console.MarkupLine($"  {Markup.Escape(run.Id)}: {run.Experiment}, {run.Rows} rows" + (run.Omitted > 0 ? $" [yellow]({run.Omitted} unreadable line(s) left out)[/]" : string.Empty));
                    }
                }

                return Task.FromResult(ExitCodes.Ok);
            },
            stdout,
            stderr);
        command.Arguments.Add(runs);
        command.Options.Add(output);
        command.Options.Add(anonymize);
        command.Options.Add(force);
        return command;
    }

    public static Command Import(GlobalOptions options, TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("archive") { Description = "An archive written by `rig runs export`." };
        var command = CommandFactory.Create("import", "Bring the runs of an exported archive into the results folder, marked as imported (all of them or none).", options,
            (c, ct) =>
            {
                var result = RunArchive.Import(c.Get(file)!, c.Store);
                if (c.Json)
                {
                    c.WriteJson(result);
                }
                else
                {
                    c.Console.MarkupLine($"imported {result.Runs.Count} run(s) into {Markup.Escape(c.Store.Root)}" + (result.Anonymized ? " (anonymised archive)" : string.Empty));
                    foreach (var run in result.Runs)
                    {
                        c.Console.MarkupLine($"  {Markup.Escape(run.Id)}: {run.Experiment}, {run.Rows} rows");
                        foreach (var d in run.Dropped)
                        {
                            c.Console.MarkupLine($"    [yellow]dropped:[/] {Markup.Escape(d)}");
                        }
                    }
                }

                return Task.FromResult(ExitCodes.Ok);
            },
            stdout,
            stderr);
        command.Arguments.Add(file);
        return command;
    }
}
