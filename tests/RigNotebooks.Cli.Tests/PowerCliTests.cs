using System.Diagnostics;
using System.Text.Json;

namespace RigNotebooks.Cli.Tests;

/// <summary>`rig power` and `rig monitor` end to end, as processes. The simulated rig keeps its power limits in a file under
/// RIG_STATE_DIR, so a second process can see what a killed sweep left behind and put it back.</summary>
public sealed class PowerCliTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private string StateDir => temp.File("state");

    private string LimitsFile => Path.Combine(StateDir, "sim-blog-3x3090.power.json");

    private string JournalFile => Path.Combine(StateDir, "power-journal-sim-blog-3x3090.json");

    private Dictionary<string, string?> Env => new() { ["RIG_STATE_DIR"] = StateDir };

    [Fact]
    public void Sweep_json_has_a_row_set_per_cap_and_a_recommendation_with_285_W_a_few_percent_slower_and_cheaper_per_unit()
    {
        var result = RigProcess.Run(temp.Path, "power", "sweep", "--rig", "sim:blog-3x3090", "--json", "--caps", "350,300,285,250", "--rate-hz", "2");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        var caps = root.GetProperty("caps").EnumerateArray().ToDictionary(c => c.GetProperty("cap").GetString()!);
        Assert.Equal(["350", "300", "285", "250"], caps.Keys);
        foreach (var cap in caps.Values)
        {
            var rows = cap.GetProperty("rows").EnumerateArray().ToList();
            Assert.Contains(rows, r => r.GetProperty("metric").GetString() == "energy_per_unit" && r.GetProperty("gpu").ValueKind == JsonValueKind.Null);
            Assert.All(rows, r => Assert.Equal("simulated", r.GetProperty("source").GetString()));
        }

        var slower = 1 - (caps["285"].GetProperty("throughput").GetDouble() / caps["350"].GetProperty("throughput").GetDouble());
        var saved = 1 - (caps["285"].GetProperty("energyPerUnitJ").GetDouble() / caps["350"].GetProperty("energyPerUnitJ").GetDouble());
        Assert.InRange(slower, 0.01, 0.05);
        Assert.True(saved >= 0.10, $"energy per unit only {saved:P1} lower");
        Assert.True(root.GetProperty("recommendation").GetProperty("capW").GetDouble() > 0);
        Assert.True(root.GetProperty("simulatedTime").GetBoolean());
        Assert.True(root.GetProperty("restore").GetProperty("gpus").EnumerateArray().All(g => g.GetProperty("ok").GetBoolean()));
    }

    [Fact]
    public void Monitor_json_returns_samples_for_three_gpus_with_core_and_vram_temperatures()
    {
        var result = RigProcess.Run(temp.Path, "monitor", "--rig", "sim:blog-3x3090", "--duration", "5", "--json", "--time-scale", "0", "--workload", "burn");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var samples = json.RootElement.GetProperty("samples").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2], samples.Select(s => s.GetProperty("gpu").GetInt32()).Distinct().Order());
        Assert.All(samples, s =>
        {
            Assert.Equal(JsonValueKind.Number, s.GetProperty("coreTempC").ValueKind);
            Assert.Equal(JsonValueKind.Number, s.GetProperty("vramTempC").ValueKind);
        });
        // 10 Hz for 5 s: t = 0, 0.1, …, 5.0, each instant sampled once per GPU (the window's start and end and the stop fall
        // on ticks of the simulated clock and reuse them).
        Assert.Equal(3 * 51, samples.Count);
        Assert.Equal(samples.Count, samples.Select(s => (s.GetProperty("gpu").GetInt32(), s.GetProperty("tS").GetDouble())).Distinct().Count());
        Assert.True(json.RootElement.GetProperty("simulatedTime").GetBoolean());
        Assert.True(json.RootElement.GetProperty("energy").GetProperty("totalJ").GetDouble() > 3 * 200 * 4);

        var run = RigProcess.Run(temp.Path, "runs", "show", json.RootElement.GetProperty("runId").GetString()!, "--json");
        using var shown = JsonDocument.Parse(run.Stdout);
        var rows = shown.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Contains(rows, r => r.GetProperty("experiment").GetString() == "monitor" && r.GetProperty("metric").GetString() == "vram_temp");
    }

    [Fact]
    public void Out_of_range_caps_exit_2_and_change_nothing()
    {
        var result = RigProcess.Run(temp.Path, Env, TimeSpan.FromSeconds(60), "power", "sweep", "--rig", "sim:blog-3x3090", "--caps", "350,420");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("420 W", result.Stderr);
        Assert.False(File.Exists(LimitsFile));
        Assert.False(File.Exists(JournalFile));
    }

    [Fact]
    public void Sigterm_mid_sweep_restores_the_limits_before_the_process_exits()
    {
        using var sweep = StartSlowSweep();
        WaitForLimits(sweep, 350);
        Assert.True(File.Exists(JournalFile), "the journal is on disk while limits are changed");

        Signal("TERM", sweep.Id);
        Assert.True(sweep.WaitForExit(30_000), "the sweep did not exit after SIGTERM");
        var stderr = sweep.StandardError.ReadToEnd();
        Assert.True(sweep.ExitCode == 130, $"exit {sweep.ExitCode}: {stderr}");
        Assert.Equal([285.0, 285.0, 285.0], Limits());
        Assert.False(File.Exists(JournalFile), "a completed restore removes the journal");
        Assert.Contains("restored", stderr, StringComparison.Ordinal);
        var runJson = Directory.GetFiles(Path.Combine(temp.Path, "results"), "run.json", SearchOption.AllDirectories).Single();
        Assert.Contains("\"cancelled\"", File.ReadAllText(runJson), StringComparison.Ordinal);
    }

    [Fact]
    public void After_kill_9_the_journal_remains_and_rig_power_restore_puts_the_limits_back()
    {
        using (var sweep = StartSlowSweep())
        {
            WaitForLimits(sweep, 350);
            sweep.Kill(); // SIGKILL: no handler runs
            sweep.WaitForExit();
        }

        Assert.Equal([350.0, 350.0, 350.0], Limits());
        Assert.True(File.Exists(JournalFile));

        var blocked = RigProcess.Run(temp.Path, Env, TimeSpan.FromSeconds(60), "power", "sweep", "--rig", "sim:blog-3x3090", "--caps", "300");
        Assert.True(blocked.ExitCode == 3, blocked.ToString());
        Assert.Contains("rig power restore", blocked.Stderr);

        var restore = RigProcess.Run(temp.Path, Env, TimeSpan.FromSeconds(60), "power", "restore", "--rig", "sim:blog-3x3090", "--json");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        using var json = JsonDocument.Parse(restore.Stdout);
        Assert.True(json.RootElement.GetProperty("restored").GetBoolean());
        Assert.Equal([285.0, 285.0, 285.0], Limits());
        Assert.False(File.Exists(JournalFile));

        var again = RigProcess.Run(temp.Path, Env, TimeSpan.FromSeconds(60), "power", "restore", "--rig", "sim:blog-3x3090");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("nothing to restore", again.Stdout);
    }

    [Fact]
    public void A_dry_run_sets_nothing_and_writes_no_journal()
    {
        var result = RigProcess.Run(temp.Path, Env, TimeSpan.FromSeconds(60), "power", "sweep", "--rig", "sim:blog-3x3090", "--dry-run", "--json", "--rate-hz", "2");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.True(json.RootElement.GetProperty("dryRun").GetBoolean());
        Assert.Single(json.RootElement.GetProperty("caps").EnumerateArray());
        Assert.Equal(12, json.RootElement.GetProperty("plan").GetProperty("capsW").GetArrayLength());
        Assert.False(File.Exists(LimitsFile));
        Assert.False(File.Exists(JournalFile));
    }

    /// <summary>Three caps of 70 simulated seconds at 20x: about 10 s of wall time, time enough to be interrupted.</summary>
    private Process StartSlowSweep()
    {
        var info = new ProcessStartInfo(RigProcess.DotnetHost)
        {
            WorkingDirectory = temp.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "exec", RigProcess.RigDll, "power", "sweep", "--rig", "sim:blog-3x3090", "--caps", "350,300,250", "--warmup-s", "10", "--measure-s", "60", "--time-scale", "20", "--rate-hz", "2" })
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["RIG_STATE_DIR"] = StateDir;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }

    private void WaitForLimits(Process sweep, double watts)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (sweep.HasExited)
            {
                Assert.Fail($"the sweep exited early ({sweep.ExitCode}): {sweep.StandardError.ReadToEnd()}");
            }

            if (File.Exists(LimitsFile) && Limits().All(l => l == watts))
            {
                return;
            }

            Thread.Sleep(50);
        }

        Assert.Fail($"the limits never reached {watts} W");
    }

    private double[] Limits()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var json = JsonDocument.Parse(File.ReadAllText(LimitsFile));
                return json.RootElement.GetProperty("limitsW").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            }
            catch (Exception ex) when ((ex is IOException or JsonException) && attempt < 5)
            {
                Thread.Sleep(20);
            }
        }
    }

    private static void Signal(string signal, int pid)
    {
        var kill = ChildProcess.Run("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
        Assert.True(kill.ExitCode == 0, kill.ToString());
    }
}
