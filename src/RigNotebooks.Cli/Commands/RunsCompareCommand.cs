using System.CommandLine;
using RigNotebooks.Cli.Views;
using RigNotebooks.Results.Comparison;

namespace RigNotebooks.Cli.Commands;

/// <summary>`rig runs compare <run> <run> [...]`: deltas against the first run and the environment differences behind them.</summary>
public static class RunsCompareCommand
{
    public static Command Create(GlobalOptions options, TextWriter stdout, TextWriter stderr)
    {
        var runs = new Argument<string[]>("runs")
        {
            Description = "Two or more runs of the same experiment (ids, unique prefixes or folders); the first is the baseline.",
            Arity = new ArgumentArity(2, 64),
        };
        var ignore = new Option<string[]>("--ignore-param")
        {
            Description = "A row parameter to leave out when lining rows up (e.g. t_s for telemetry); may be repeated.",
            AllowMultipleArgumentsPerToken = true,
        };
        var changed = new Option<bool>("--changed") { Description = "Show only rows that differ from the baseline." };
        var command = CommandFactory.Create(
            "compare",
            "Line up runs of one experiment by case, GPU, peer, metric and parameters: deltas against the first run, and the environment differences (driver, caps, kernel command line, links, rig, measured vs simulated) that could explain them.",
            options,
            (c, ct) => RunAsync(c, c.Get(runs)!, c.Get(ignore) ?? [], c.Get(changed)),
            stdout,
            stderr);
        command.Arguments.Add(runs);
        command.Options.Add(ignore);
        command.Options.Add(changed);
        return command;
    }

    private static Task<int> RunAsync(CommandContext context, string[] ids, string[] ignore, bool changedOnly)
    {
        var comparison = RunComparer.Compare(context.Store, ids, new ComparisonOptions(IgnoreParams: ignore));
        if (context.Json)
        {
            context.WriteJson(comparison);
        }
        else
        {
            ComparisonView.Render(context.Console, comparison, changedOnly);
        }

        return Task.FromResult(ExitCodes.Ok);
    }
}
