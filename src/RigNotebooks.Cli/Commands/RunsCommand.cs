using System.CommandLine;
using System.Globalization;
using RigNotebooks.Cli.Views;
using RigNotebooks.Results;
using Spectre.Console;

namespace RigNotebooks.Cli.Commands;

/// <summary>`rig runs list|show|compare|note|tag|untag|export|import`: the runs in the results folder.</summary>
public static class RunsCommand
{
    public static Command Create(GlobalOptions options, TextWriter stdout, TextWriter stderr)
    {
        var runs = new Command("runs", "List, inspect, compare, annotate and share the runs in the results folder.");
        runs.Subcommands.Add(CommandFactory.Create("list", "List runs, newest first.", options, ListAsync, stdout, stderr));

        var id = new Argument<string>("run") { Description = "A run id (or a unique prefix of one), or a run folder." };
        var show = CommandFactory.Create("show", "Show one run: metadata, findings, notes and its rows.", options, (c, ct) => ShowAsync(c, c.Get(id)!), stdout, stderr);
        show.Arguments.Add(id);
        runs.Subcommands.Add(show);
        runs.Subcommands.Add(RunsCompareCommand.Create(options, stdout, stderr));
        runs.Subcommands.Add(RunsAnnotateCommands.Note(options, stdout, stderr));
        runs.Subcommands.Add(RunsAnnotateCommands.Tag(options, stdout, stderr));
        runs.Subcommands.Add(RunsAnnotateCommands.Untag(options, stdout, stderr));
        runs.Subcommands.Add(RunsShareCommands.Export(options, stdout, stderr));
        runs.Subcommands.Add(RunsShareCommands.Import(options, stdout, stderr));
        return runs;
    }

    private static Task<int> ListAsync(CommandContext context, CancellationToken ct)
    {
        var problems = new List<string>();
        var runs = context.Store.List(problems);
        if (context.Json)
        {
            context.WriteJson(new
            {
                results = context.Store.Root,
                runs = runs.Select(r => new { r.Record.Id, r.Record.Experiment, rig = r.Record.Rig.RigId, source = r.Record.Source, status = r.Record.Status, r.Record.StartedUtc, rows = r.Rows.Count, r.Record.Tags }),
                problems,
            });
            return Task.FromResult(ExitCodes.Ok);
        }

        var table = new Table().AddColumns("Run", "Experiment", "Rig", "Source", "Status", "Rows", "Started (UTC)", "Tags");
        foreach (var r in runs)
        {
            table.AddRow(Markup.Escape(r.Id), r.Record.Experiment, Markup.Escape(r.Record.Rig.RigId), Lower(r.Record.Source), Lower(r.Record.Status),
                r.Rows.Count.ToString(CultureInfo.InvariantCulture), r.Record.StartedUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                Markup.Escape(string.Join(", ", r.Record.Tags)));
        }

        context.Console.Write(table);
        foreach (var p in problems)
        {
            context.Console.MarkupLine($"[yellow]skipped:[/] {Markup.Escape(p)}");
        }

        return Task.FromResult(ExitCodes.Ok);
    }

    private static Task<int> ShowAsync(CommandContext context, string id)
    {
        var run = context.Store.Load(id);
        if (context.Json)
        {
            context.WriteJson(new { run.Folder, run.Record, run.Rows, run.Dropped });
            return Task.FromResult(ExitCodes.Ok);
        }

        var r = run.Record;
        context.Console.MarkupLine($"[bold]{Markup.Escape(r.Id)}[/]: {r.Experiment} on {Markup.Escape(r.Rig.RigId)} ({Lower(r.Source)}), {Lower(r.Status)}");
        context.Console.MarkupLine($"started {r.StartedUtc:u}" + (r.EndedUtc is { } e ? $", ended {e:u}" : string.Empty) + $"; driver {Markup.Escape(r.Rig.DriverVersion)}; rig hash {r.Rig.Hash}");
        if (r.Provenance is { } p)
        {
            context.Console.MarkupLine($"imported {p.ImportedUtc:u} from {Markup.Escape(p.Archive)}" + (p.Anonymized ? " (anonymised)" : string.Empty) +
                $"; it had ended {Lower(p.OriginalStatus)} where it was made");
        }

        if (r.Error is not null)
        {
            context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(r.Error)}");
        }

        foreach (var (k, v) in r.Summary)
        {
            context.Console.MarkupLine($"  {Markup.Escape(k)}: {Markup.Escape(v)}");
        }

        foreach (var note in r.Notes)
        {
            context.Console.MarkupLine($"  [blue]note[/] {note.TimeUtc:u}: {Markup.Escape(note.Text)}");
        }

        if (r.Tags.Count > 0)
        {
            context.Console.MarkupLine($"  tags: {Markup.Escape(string.Join(", ", r.Tags))}");
        }

        FindingsView.Render(context.Console, r.Findings);
        var table = new Table().AddColumns("Case", "GPU", "Peer", "Metric", "Value", "Unit", "Status", "Params", "Note");
        foreach (var row in run.Rows.Take(200))
        {
            table.AddRow(Markup.Escape(row.Case), row.Gpu?.ToString(CultureInfo.InvariantCulture) ?? "", row.Peer?.ToString(CultureInfo.InvariantCulture) ?? "", Markup.Escape(row.Metric),
                double.IsNaN(row.Value) ? "" : row.Value.ToString("G6", CultureInfo.InvariantCulture), Markup.Escape(row.Unit), Lower(row.Status),
                Markup.Escape(string.Join(";", row.Parameters.Select(p => $"{p.Key}={p.Value}"))), Markup.Escape(row.Note ?? ""));
        }

        context.Console.Write(table);
        if (run.Rows.Count > 200)
        {
            context.Console.MarkupLine($"[grey]… {run.Rows.Count - 200} more rows (use --json for all)[/]");
        }

        foreach (var d in run.Dropped)
        {
            context.Console.MarkupLine($"[yellow]dropped:[/] {Markup.Escape(d)}");
        }

        return Task.FromResult(ExitCodes.Ok);
    }

    private static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}
