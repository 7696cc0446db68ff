using System.Diagnostics;
using System.Text.Json;

namespace RigNotebooks.Cli.Tests;

/// <summary>A run whose process is killed with SIGKILL mid-way, end to end: a real `rig monitor` writing rows in real
/// time is killed (no handler runs, run.json still says running), then `rig runs show` and `rig runs list` in new
/// processes read it back as aborted, with every row it flushed and the reason.</summary>
public sealed class KilledRunProcessTests : IDisposable
{
    private readonly TempFolder temp = new("rig-cli-killed-");

    public void Dispose() => temp.Dispose();

    private string Results => temp.File("results");

    [Fact]
    public void A_monitor_killed_with_sigkill_reads_back_as_aborted_with_its_rows_and_says_the_writer_died()
    {
        string folder;
        using (var monitor = StartMonitor())
        {
            try
            {
                folder = WaitForRows(monitor);
            }
            finally
            {
                if (!monitor.HasExited)
                {
                    monitor.Kill(); // SIGKILL: no handler runs, nothing marks the run as ended
                }

                monitor.WaitForExit();
            }

            Assert.True(monitor.ExitCode == 128 + 9, $"the monitor ended on its own (exit {monitor.ExitCode}) instead of being killed");
        }

        var id = Path.GetFileName(folder);
        Assert.Contains("\"running\"", File.ReadAllText(Path.Combine(folder, "run.json")), StringComparison.Ordinal);
        var (completeRows, cutOff) = RowsOnDisk(Path.Combine(folder, "rows.csv"));
        Assert.True(completeRows > 0, "the monitor flushed no complete row before it was killed");

        var shownJson = Rig("runs", "show", id, "--json");
        Assert.True(shownJson.ExitCode == 0, shownJson.ToString());
        using (var json = JsonDocument.Parse(shownJson.Stdout))
        {
            var record = json.RootElement.GetProperty("record");
            Assert.Equal("aborted", record.GetProperty("status").GetString());
            Assert.Contains("died", record.GetProperty("error").GetString(), StringComparison.Ordinal);
            var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
            Assert.Equal(completeRows, rows.Count); // every complete line of rows.csv parsed into a row
            Assert.All(rows, r =>
            {
                Assert.Equal("monitor", r.GetProperty("experiment").GetString());
                Assert.Equal("simulated", r.GetProperty("source").GetString());
            });
            var dropped = json.RootElement.GetProperty("dropped").EnumerateArray().Select(d => d.GetString()!).ToList();
            if (cutOff)
            {
                Assert.All(dropped, d => Assert.Contains("incomplete last line", d, StringComparison.Ordinal)); // a row cut off by the kill itself
            }
            else
            {
                Assert.Empty(dropped);
            }
        }

        var shown = Rig("runs", "show", id);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains($"{id}: monitor on sim:blog-3x3090 (simulated), aborted", shown.Stdout, StringComparison.Ordinal);
        Assert.Contains("error: the process writing this run died before it ended", shown.Stdout, StringComparison.Ordinal);

        var listed = Rig("runs", "list", "--json");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        using (var json = JsonDocument.Parse(listed.Stdout))
        {
            var run = Assert.Single(json.RootElement.GetProperty("runs").EnumerateArray());
            Assert.Equal(id, run.GetProperty("id").GetString());
            Assert.Equal("aborted", run.GetProperty("status").GetString());
            Assert.Equal(completeRows, run.GetProperty("rows").GetInt32());
            Assert.Empty(json.RootElement.GetProperty("problems").EnumerateArray());
        }
    }

    private ChildProcessResult Rig(params string[] args) => RigProcess.Run(temp.Path, TimeSpan.FromSeconds(60), [.. args, "--results", Results]);

    /// <summary>`rig monitor` for 600 s of real time (the simulated clock at x1): it writes a batch of rows every 0.1 s
    /// and would run for ten minutes, so only the kill ends it.</summary>
    private Process StartMonitor()
    {
        var info = new ProcessStartInfo(RigProcess.DotnetHost)
        {
            WorkingDirectory = temp.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "exec", RigProcess.RigDll, "monitor", "--rig", "sim:blog-3x3090", "--duration", "600", "--time-scale", "1", "--results", Results })
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["NO_COLOR"] = "1";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Polls until the run's rows.csv holds at least one complete row (at most 20 s); returns the run folder.</summary>
    private string WaitForRows(Process monitor)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (monitor.HasExited)
            {
                Assert.Fail($"the monitor exited early ({monitor.ExitCode})");
            }
            var rows = Directory.Exists(Results) ? Directory.GetFiles(Results, "rows.csv", SearchOption.AllDirectories) : [];
            if (rows.Length == 1 && RowsOnDisk(rows[0]).Complete > 0)
            {
                return Path.GetDirectoryName(rows[0])!;
            }

            Thread.Sleep(50);
        }

        Assert.Fail("the monitor wrote no row within 20 s");
        return string.Empty;
    }

    /// <summary>The complete data lines of rows.csv (after the header, each ended by a newline) and whether a last line was
    /// cut off part-way.</summary>
    private static (int Complete, bool CutOff) RowsOnDisk(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var lines = text.Split('\n');
        return (Math.Max(0, lines.Length - 2), lines[^1].Length > 0);
    }
}
