using System.Diagnostics;

namespace RigNotebooks.Cli.Tests;

/// <summary>Runs the built `rig` CLI (rig.dll beside the tests) as a real child process, as a user would.</summary>
public static class RigProcess
{
    public static string RigDll => Path.Combine(AppContext.BaseDirectory, "rig.dll");

    public static RigResult Run(string workingDirectory, params string[] args) => Run(workingDirectory, null, TimeSpan.FromSeconds(60), args);

    public static RigResult Run(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo(DotnetHost)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(RigDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"rig {string.Join(' ', args)} did not finish in {timeout.TotalSeconds} s");
        }

        process.WaitForExit();
        return new RigResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The dotnet host running these tests, so the child uses the same runtime.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";
}

public sealed record RigResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
