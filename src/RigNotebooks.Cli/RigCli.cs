using System.CommandLine;
using RigNotebooks.Cli.Commands;

namespace RigNotebooks.Cli;

/// <summary>The `rig` command line: global options, the commands, and the exit-code policy for usage errors.</summary>
public static class RigCli
{
    public static RootCommand Build(TextWriter stdout, TextWriter stderr)
    {
        RigKinds.RegisterAll();
        var options = new GlobalOptions();
        var root = new RootCommand(
            "RigNotebooks: probe, test and tune a multi-GPU deep-learning rig, or a simulated one.");
        options.AddTo(root);

        // One line per command; each command lives in its own file under Commands/.
        root.Subcommands.Add(DoctorCommand.Create(options, stdout, stderr));
        root.Subcommands.Add(TopoCommand.Create(options, stdout, stderr));
        root.Subcommands.Add(RunsCommand.Create(options, stdout, stderr));
        root.Subcommands.Add(TrainCommand.Create(options, stdout, stderr));
        root.Subcommands.Add(PlanCommand.Create(options, stdout, stderr));
        root.Subcommands.Add(CostCommand.Create(options, stdout, stderr));
        root.Subcommands.Add(MonitorCommand.Create(options, stdout, stderr));
        root.Subcommands.Add(PowerCommand.Create(options, stdout, stderr));
        root.Subcommands.Add(BandwidthCommand.Create(options, stdout, stderr));
        root.Subcommands.Add(AllReduceCommand.Create(options, stdout, stderr));
        root.Subcommands.Add(ImportCommand.Create(options, stdout, stderr));
        root.Subcommands.Add(WorkerVerb.Create(options, stdout, stderr));
#if RIG_WITH_NOTEBOOKS
        root.Subcommands.Add(NotebookCommand.Create(options, stdout, stderr));
        root.Subcommands.Add(ReproduceCommand.Create(options, stdout, stderr));
#endif
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = Build(stdout, stderr);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            await stderr.WriteLineAsync("Run `rig --help` (or `rig <command> --help`) for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var config = new InvocationConfiguration { Output = stdout, Error = stderr };
        return await parse.InvokeAsync(config).ConfigureAwait(false);
    }
}
