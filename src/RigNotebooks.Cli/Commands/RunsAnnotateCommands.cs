using System.CommandLine;
using RigNotebooks.Results;
using Spectre.Console;

namespace RigNotebooks.Cli.Commands;

/// <summary>`rig runs note|tag|untag`: write beside a run what changed, kept in its run.json.</summary>
public static class RunsAnnotateCommands
{
    public static Command Note(GlobalOptions options, TextWriter stdout, TextWriter stderr)
    {
        var run = RunArgument();
        var text = new Argument<string>("text") { Description = "The note, e.g. \"driver 535, iommu=pt on the kernel command line\"." };
        var command = CommandFactory.Create("note", "Add a timestamped note to a run.", options,
            (c, ct) => Report(c, c.Store.AddNote(c.Get(run)!, c.Get(text)!), "noted"), stdout, stderr);
        command.Arguments.Add(run);
        command.Arguments.Add(text);
        return command;
    }

    public static Command Tag(GlobalOptions options, TextWriter stdout, TextWriter stderr)
    {
        var run = RunArgument();
        var tags = TagsArgument("The tags to add, e.g. driver-535 capped-285w.");
        var command = CommandFactory.Create("tag", "Add tags to a run.", options,
            (c, ct) => Report(c, c.Store.AddTags(c.Get(run)!, c.Get(tags)!), "tagged"), stdout, stderr);
        command.Arguments.Add(run);
        command.Arguments.Add(tags);
        return command;
    }

    public static Command Untag(GlobalOptions options, TextWriter stdout, TextWriter stderr)
    {
        var run = RunArgument();
        var tags = TagsArgument("The tags to remove.");
        var command = CommandFactory.Create("untag", "Remove tags from a run.", options,
            (c, ct) => Report(c, c.Store.RemoveTags(c.Get(run)!, c.Get(tags)!), "untagged"), stdout, stderr);
        command.Arguments.Add(run);
        command.Arguments.Add(tags);
        return command;
    }

    private static Argument<string> RunArgument() =>
        new("run") { Description = "A run id (or a unique prefix of one), or a run folder." };

    private static Argument<string[]> TagsArgument(string description) =>
        new("tags") { Description = description, Arity = ArgumentArity.OneOrMore };

    private static Task<int> Report(CommandContext context, LoadedRun run, string what)
    {
        if (context.Json)
        {
            context.WriteJson(new { run.Id, run.Record.Notes, run.Record.Tags });
        }
        else
        {
            context.Console.MarkupLine($"{what} [bold]{Markup.Escape(run.Id)}[/]: {run.Record.Notes.Count} note(s); tags: {Markup.Escape(run.Record.Tags.Count == 0 ? "none" : string.Join(", ", run.Record.Tags))}");
        }

        return Task.FromResult(ExitCodes.Ok);
    }
}
