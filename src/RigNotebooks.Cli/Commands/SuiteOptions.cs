using System.CommandLine;
using RigNotebooks.Bandwidth;
using RigNotebooks.Bandwidth.Execution;
using RigNotebooks.Errors;

namespace RigNotebooks.Cli.Commands;

/// <summary>Options shared by the commands that run cases through the watchdog.</summary>
internal sealed class SuiteOptions
{
    public Option<double?> Deadline { get; } = new("--deadline")
    {
        Description = FormattableString.Invariant(
            $"Seconds a peer copy or collective may run before the watchdog kills it (default: {Deadlines.SimulatedSeconds} on a simulated rig, {Deadlines.MeasuredSeconds} on a real one)."),
    };

    public Option<string> Worker { get; } = new("--worker")
    {
        Description = "Where cases run: auto (a child process when rig.dll is found), child, or in-process (simulated rigs only for peer cases).",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary>Adds the command's own options, then these.</summary>
    public void AddTo(Command command, params Option[] own)
    {
        foreach (var option in own)
        {
            command.Options.Add(option);
        }

        command.Options.Add(Deadline);
        command.Options.Add(Worker);
    }

    public SuiteRunOptions RunOptions(CommandContext context) => new(ParseMode(context.Get(Worker) ?? "auto"), context.Get(Deadline));

    public static long Size(CommandContext context, Option<string> option, long fallback) =>
        context.Get(option) is { Length: > 0 } text ? ByteSize.Parse(text, option.Name) : fallback;

    private static WorkerMode ParseMode(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => WorkerMode.Auto,
        "child" => WorkerMode.ChildProcess,
        "in-process" or "inprocess" => WorkerMode.InProcess,
        _ => throw new RigInputException($"--worker: '{text}' is not one of auto, child, in-process."),
    };
}
