using System.CommandLine;
using RigNotebooks.Bandwidth.Execution;
using RigNotebooks.Processes;

namespace RigNotebooks.Cli.Commands;

/// <summary>`rig worker` (hidden): the watchdog's child process. Reads a job (JSON, one line) from stdin, runs its cases
/// and writes one protocol line per start, row and end to stdout. The parent kills it when a case passes its deadline;
/// the parent keeps stdin open, and when stdin ends (the parent died) the worker kills itself at once, even while a
/// case is stuck in the driver (<see cref="ParentLifeline"/>).</summary>
public static class WorkerVerb
{
    public static Command Create(GlobalOptions options, TextWriter stdout, TextWriter stderr)
    {
        var command = CommandFactory.Create(
            "worker",
            "Internal: run measurement cases for the watchdog (job JSON as the first line of stdin, protocol lines on stdout; ends when stdin does).",
            options,
            (context, ct) =>
            {
                var job = ParentLifeline.ReadFirstLineThenWatch(Console.In);
                return Task.FromResult(WorkerHost.RunProcess(job, context.Stdout, ct));
            },
            stdout,
            stderr);
        command.Hidden = true;
        return command;
    }
}
