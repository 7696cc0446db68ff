using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using RigNotebooks.Importers;
using Spectre.Console;

namespace RigNotebooks.Cli.Commands;

/// <summary>`rig import &lt;tool&gt; &lt;file&gt;`: brings nvbandwidth, p2pBandwidthLatencyTest or nccl-tests output into a run
/// (rows with source=imported), so a user's existing numbers sit beside the kit's.</summary>
public static class ImportCommand
{
    public static Command Create(GlobalOptions options, TextWriter stdout, TextWriter stderr)
    {
        var tool = new Argument<string>("tool") { Description = $"The tool that wrote the output: {string.Join(", ", ToolImporters.Tools)}." };
        var file = new Argument<string>("file") { Description = "The output file (text, or JSON from nvbandwidth -j / nccl-tests -J)." };
        var format = new Option<string>("--format") { Description = "auto (default), text or json.", DefaultValueFactory = _ => "auto" };
        var command = CommandFactory.Create(
            "import",
            "Import nvbandwidth (text or -j JSON), p2pBandwidthLatencyTest, or nccl-tests (text or -J JSON) output as a run.",
            options,
            (context, ct) => RunAsync(context, context.Get(tool)!, context.Get(file)!, context.Get(format)),
            stdout,
            stderr);
        command.Arguments.Add(tool);
        command.Arguments.Add(file);
        command.Options.Add(format);
        return command;
    }

    private static Task<int> RunAsync(CommandContext context, string tool, string file, string? format)
    {
        context.Store.EnsureWritable();
        var import = ToolImporters.ImportFile(tool, file, format);
        var description = ImportedRig.Describe(import, file);
        using var run = context.Store.Create(import.Experiment, new JsonObject
        {
            ["tool"] = import.Tool,
            ["format"] = import.Format,
            ["file"] = Path.GetFullPath(file),
        }, description);
        run.Write(import.Rows);
        run.Complete(new Dictionary<string, string>
        {
            ["tool"] = import.Tool,
            ["format"] = import.Format,
            ["rows"] = import.Rows.Count.ToString(CultureInfo.InvariantCulture),
            ["skipped"] = import.Skipped.Count == 0 ? "nothing" : string.Join(" | ", import.Skipped),
        });

        if (context.Json)
        {
            context.WriteJson(new
            {
                runId = run.Id,
                tool = import.Tool,
                format = import.Format,
                experiment = import.Experiment,
                rows = import.Rows.Count,
                byStatus = import.Rows.GroupBy(r => r.Status.ToString().ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Count()),
                skipped = import.Skipped,
                machine = import.Machine,
            });
        }
        else
        {
            context.Console.MarkupLine($"[bold]rig import[/] {Markup.Escape(import.Tool)} ({import.Format}) {Markup.Escape(file)}");
            context.Console.MarkupLine($"{import.Rows.Count} rows into run {Markup.Escape(run.Id)} (experiment {import.Experiment}, source imported)");
            foreach (var s in import.Skipped)
            {
                context.Console.MarkupLine($"[grey]skipped: {Markup.Escape(s)}[/]");
            }
        }

        return Task.FromResult(ExitCodes.Ok);
    }
}
