using System.CommandLine;
using RigNotebooks.Bandwidth.Execution;

namespace RigNotebooks.Cli.Commands;

/// <summary>`rig worker` (hidden): the watchdog's child process. Reads a job (JSON) from stdin, runs its cases and
/// writes one protocol line per start, row and end to stdout. The parent kills it when a case passes its deadline.</summary>
public static class WorkerVerb
{
    public static Command Create(GlobalOptions options, TextWriter stdout, TextWriter stderr)
    {
        var command = CommandFactory.Create(
            "worker",
            "Internal: run measurement cases for the watchdog (job JSON on stdin, protocol lines on stdout).",
            options,
            async (context, ct) =>
            {
                var job = await Console.In.ReadToEndAsync(ct).ConfigureAwait(false);
                return WorkerHost.RunProcess(job, context.Stdout, ct);
            },
            stdout,
            stderr);
        command.Hidden = true;
        return command;
    }
}
