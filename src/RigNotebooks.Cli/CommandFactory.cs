using System.CommandLine;
using RigNotebooks.Errors;
using RigNotebooks.Rigs;

namespace RigNotebooks.Cli;

/// <summary>Builds commands whose actions share one error policy: input errors exit 2, a missing environment
/// exits 3, each with a message that names the problem and the fix.</summary>
public static class CommandFactory
{
    public static Command Create(
        string name,
        string description,
        GlobalOptions options,
        Func<CommandContext, CancellationToken, Task<int>> action,
        TextWriter stdout,
        TextWriter stderr)
    {
        var command = new Command(name, description);
        command.SetAction(async (parse, ct) => await Run(new CommandContext(parse, options, stdout, stderr), action, ct).ConfigureAwait(false));
        return command;
    }

    public static async Task<int> Run(CommandContext context, Func<CommandContext, CancellationToken, Task<int>> action, CancellationToken ct)
    {
        try
        {
            return await action(context, ct).ConfigureAwait(false);
        }
        catch (RigInputException ex)
        {
            await context.Stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (RigEnvironmentException ex)
        {
            await context.Stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Environment;
        }
        catch (CapabilityUnavailableException ex)
        {
            await context.Stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Environment;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await context.Stderr.WriteLineAsync("cancelled").ConfigureAwait(false);
            return 130;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await context.Stderr.WriteLineAsync($"error: unexpected {ex.GetType().Name}: {ex.Message} (this is a bug in the kit; the details follow)\n{ex}").ConfigureAwait(false);
            return ExitCodes.Findings;
        }
    }
}
