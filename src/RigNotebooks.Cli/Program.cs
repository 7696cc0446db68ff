using RigNotebooks.Cli;

return await RigCli.RunAsync(args, Console.Out, Console.Error);
