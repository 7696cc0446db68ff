using RigNotebooks.Cli;
using RigNotebooks.Processes;

// `rig guard <program> [arguments]` (internal, see ProcessGuard) takes the user's arguments verbatim, so it is
// answered before the command-line parser could read them as options or response files.
if (args is [ProcessGuard.Verb, .. var command])
{
    return ProcessGuard.Run(command, Console.In, Console.Error);
}

return await RigCli.RunAsync(args, Console.Out, Console.Error);
