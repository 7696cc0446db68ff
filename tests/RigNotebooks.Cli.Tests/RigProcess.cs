namespace RigNotebooks.Cli.Tests;

/// <summary>Runs the built `rig` command (rig.dll beside the tests) as a separate process, the way a user does, with an
/// argument list (never a shell string), a working folder and a time limit. Generic: any command, any arguments.</summary>
public static class RigProcess
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(90);

    public static string RigDll => Path.Combine(AppContext.BaseDirectory, "rig.dll");

    /// <summary>The dotnet host running these tests, so the CLI runs on the same runtime.</summary>
    public static string DotnetHost
    {
        get
        {
            var current = Environment.ProcessPath;
            if (current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            {
                return current;
            }

            return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        }
    }

    internal static ChildProcessResult Run(string workingDirectory, params string[] args) => Run(workingDirectory, DefaultTimeout, args);

    internal static ChildProcessResult Run(string workingDirectory, TimeSpan timeout, params string[] args) =>
        Run(workingDirectory, null, timeout, args);

    /// <summary>Runs with extra environment variables (a null value removes the variable).</summary>
    internal static ChildProcessResult Run(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, TimeSpan timeout, params string[] args)
    {
        var variables = new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["NO_COLOR"] = "1" };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[key] = value;
        }

        return ChildProcess.Run(DotnetHost, [RigDll, .. args], timeout, workingDirectory, variables);
    }
}
