using System.Diagnostics;
using System.Text;

namespace RigNotebooks.Cli.Tests;

/// <summary>No child of the kit outlives it: the CLI is killed with SIGKILL (no chance to clean up, as when a notebook
/// kernel is restarted) while its child is busy, and the child must be gone within seconds — the watchdog's worker
/// stuck in the simulated driver-545 hang, and a user's training command under its guard.</summary>
public sealed class ParentDeathTests : IDisposable
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DeathAllowance = TimeSpan.FromSeconds(5);

    private readonly TempFolder temp = new();
    private readonly List<int> watched = [];

    /// <summary>A failed test must not leave its hung children behind either.</summary>
    public void Dispose()
    {
        foreach (var pid in watched.Where(ProcFs.IsAlive))
        {
            try
            {
                using var stray = Process.GetProcessById(pid);
                stray.Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }

        temp.Dispose();
    }

    [Fact]
    public void A_worker_stuck_in_a_hung_peer_copy_dies_with_its_killed_parent()
    {
        if (!ProcFs.Available)
        {
            return;
        }

        // A 60 s deadline: the parent would not kill the hung worker itself during the test.
        using var cli = StartRig("bandwidth", "--rig", "sim:blog-3x3090-driver545", "--deadline", "60");
        (int Pid, string CommandLine) worker = default;
        Assert.True(
            ProcFs.WaitUntil(() => (worker = ProcFs.Descendants(cli.Id).FirstOrDefault(d => d.CommandLine.EndsWith(" worker", StringComparison.Ordinal))).Pid != 0 || cli.HasExited, Startup),
            "no `rig worker` child appeared");
        watched.Add(worker.Pid);
        Assert.False(cli.HasExited, "the CLI ended before the test could kill it");

        // The host cases come before the first peer copy, which hangs: once their rows are durable the worker is stuck.
        Assert.True(ProcFs.WaitUntil(() => RowsWritten() > 3, Startup), "the worker wrote no rows");
        Thread.Sleep(300);
        Assert.True(ProcFs.IsAlive(worker.Pid), "the worker ended on its own; the test needs it hung");

        cli.Kill(); // SIGKILL to the CLI only, not its tree
        cli.WaitForExit();

        Assert.True(ProcFs.WaitUntil(() => !ProcFs.IsAlive(worker.Pid), DeathAllowance), $"the worker (pid {worker.Pid}: {worker.CommandLine}) outlived its killed parent");
    }

    [Fact]
    public void A_users_training_command_dies_with_its_killed_parent()
    {
        if (!ProcFs.Available || !File.Exists("/bin/sh"))
        {
            return;
        }

        // The user's command starts a child of its own, so the whole tree must go, not only the direct child.
        var script = temp.File("train.sh");
        File.WriteAllText(script, "#!/bin/sh\nsleep 300 &\nwait\n");
        using var cli = StartRig("train", "--cmd", $"sh {script} {{gpus}}", "--gpus", "1", "--p2p", "on");
        List<(int Pid, string CommandLine)> tree = [];
        Assert.True(
            ProcFs.WaitUntil(() => (tree = ProcFs.Descendants(cli.Id)).Any(d => d.CommandLine.StartsWith("sleep 300", StringComparison.Ordinal)) || cli.HasExited, Startup),
            "the training command did not start");
        watched.AddRange(tree.Select(d => d.Pid));
        Assert.False(cli.HasExited, "the CLI ended before the test could kill it");

        cli.Kill();
        cli.WaitForExit();

        Assert.True(
            ProcFs.WaitUntil(() => tree.All(d => !ProcFs.IsAlive(d.Pid)), DeathAllowance),
            "outlived the killed CLI: " + string.Join("; ", tree.Where(d => ProcFs.IsAlive(d.Pid)).Select(d => $"{d.Pid} {d.CommandLine}")));
    }

    private int RowsWritten()
    {
        var results = Path.Combine(temp.Path, "results");
        return Directory.Exists(results)
            ? Directory.EnumerateFiles(results, "rows.csv", SearchOption.AllDirectories).Sum(f => File.ReadAllLines(f).Length - 1)
            : 0;
    }

    private Process StartRig(params string[] args)
    {
        var start = new ProcessStartInfo(RigProcess.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = temp.Path,
        };
        start.ArgumentList.Add(RigProcess.RigDll);
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["NO_COLOR"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start rig");
        process.StandardInput.Close();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
