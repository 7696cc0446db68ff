using System.Diagnostics;

namespace RigNotebooks.Cli.Tests.Support;

/// <summary>What a `rig` child process did.</summary>
public sealed record RigRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Runs the built `rig` (rig.dll, copied next to the tests by the project reference) as a child process with
/// <c>dotnet exec</c>, the way a user runs it: real exit codes, real stdout/stderr, a chosen environment and
/// working folder. Environment entries set to null are removed from the child's environment.
/// </summary>
public static class RigProcess
{
    public static string RigDll { get; } = Path.Combine(AppContext.BaseDirectory, "rig.dll");

    public static RigRun Run(
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        info.ArgumentList.Add("exec");
        var runtimeConfig = Path.ChangeExtension(RigDll, ".runtimeconfig.json");
        if (File.Exists(runtimeConfig))
        {
            info.ArgumentList.Add("--runtimeconfig");
            info.ArgumentList.Add(runtimeConfig);
        }

        info.ArgumentList.Add(RigDll);
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"rig {string.Join(' ', arguments)} did not finish in time.");
        }

        return new RigRun(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static RigRun Run(params string[] arguments) => Run((IEnumerable<string>)arguments);

    /// <summary>The dotnet host running these tests, so the child uses the same runtime.</summary>
    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
