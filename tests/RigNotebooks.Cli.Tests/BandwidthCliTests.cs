using System.Diagnostics;
using System.Text.Json;

namespace RigNotebooks.Cli.Tests;

/// <summary>`rig bandwidth`, `rig allreduce`, `rig doctor --deep` and `rig import` as processes, with the watchdog's
/// child being the real `rig worker` found next to the CLI.</summary>
public sealed class BandwidthCliTests : IDisposable
{
    private const double Gen3x16RawGBps = 15.75;

    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Bandwidth_json_on_the_reference_rig_returns_pcie_3_matrices_for_p2p_on_and_off()
    {
        var result = RigProcess.Run(temp.Path, "bandwidth", "--rig", "sim:blog-3x3090", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal("simulated", root.GetProperty("source").GetString());

        var matrices = root.GetProperty("matrices");
        foreach (var kind in new[] { "unidirectional", "bidirectional", "latency" })
        {
            foreach (var p2p in new[] { "p2pOn", "p2pOff" })
            {
                var m = matrices.GetProperty(kind).GetProperty(p2p);
                Assert.Equal(3, m.GetArrayLength());
                for (var i = 0; i < 3; i++)
                {
                    for (var j = 0; j < 3; j++)
                    {
                        Assert.Equal(i == j, m[i][j].ValueKind == JsonValueKind.Null);
                    }
                }
            }
        }

        var uniOn = matrices.GetProperty("unidirectional").GetProperty("p2pOn");
        var uniOff = matrices.GetProperty("unidirectional").GetProperty("p2pOff");
        Assert.InRange(uniOn[0][1].GetDouble(), 11.0, Gen3x16RawGBps);
        Assert.True(uniOff[0][1].GetDouble() < uniOn[0][1].GetDouble());
        Assert.True(matrices.GetProperty("latency").GetProperty("p2pOn")[0][1].GetDouble() < matrices.GetProperty("latency").GetProperty("p2pOff")[0][1].GetDouble());
        Assert.All(root.GetProperty("host").EnumerateArray().Where(h => h.GetProperty("case").GetString() == "host_to_device_pinned"),
            h => Assert.InRange(h.GetProperty("bandwidthGBps").GetDouble(), 11.0, Gen3x16RawGBps));
        Assert.Empty(root.GetProperty("notMeasured").EnumerateArray());

        var runs = Directory.GetDirectories(Path.Combine(temp.Path, "results"));
        var rows = File.ReadAllLines(Path.Combine(Assert.Single(runs), "rows.csv"));
        Assert.True(rows.Length > 100);
        Assert.All(rows.Skip(1), r => Assert.Contains(",simulated,", r, StringComparison.Ordinal));
    }

    [Fact]
    public void Bandwidth_on_driver_545_exits_1_within_30_s_naming_the_hang_and_the_remedy()
    {
        var clock = Stopwatch.StartNew();
        var result = RigProcess.Run(temp.Path, null, TimeSpan.FromSeconds(60), "bandwidth", "--rig", "sim:blog-3x3090-driver545");
        clock.Stop();

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Contains("Peer transfers hang", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("hung after", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("535", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("p2p-hang", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Bandwidth_on_the_iommu_rig_flags_p2p_slower_than_off_and_corrupt()
    {
        var result = RigProcess.Run(temp.Path, "bandwidth", "--rig", "sim:blog-3x3090-iommu", "--json", "--size", "64M");
        Assert.True(result.ExitCode == 1, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var codes = json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()).ToList();
        Assert.Contains("p2p-slower-than-off", codes);
        Assert.Contains("p2p-corrupt", codes);
        var uni = json.RootElement.GetProperty("matrices").GetProperty("unidirectional");
        Assert.True(uni.GetProperty("p2pOn")[0][1].GetDouble() < uni.GetProperty("p2pOff")[0][1].GetDouble());
    }

    [Fact]
    public void Allreduce_json_returns_busbw_per_size_with_p2p_on_and_off()
    {
        var result = RigProcess.Run(temp.Path, "allreduce", "--rig", "sim:blog-3x3090", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var lines = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(3, json.RootElement.GetProperty("ranks").GetInt32());
        foreach (var p2p in new[] { "on", "off" })
        {
            var sizes = lines.Where(l => l.GetProperty("p2p").GetString() == p2p).Select(l => l.GetProperty("sizeBytes").GetInt64()).Distinct().ToList();
            Assert.Equal(26, sizes.Count);
            Assert.Equal(8, sizes.Min());
            Assert.Equal(256L << 20, sizes.Max());
        }

        Assert.All(lines, l => Assert.Equal(l.GetProperty("algBwGBps").GetDouble() * 4 / 3, l.GetProperty("busBwGBps").GetDouble(), 9));
        var average = json.RootElement.GetProperty("averageBusBwGBps");
        Assert.True(average.GetProperty("on").GetDouble() > average.GetProperty("off").GetDouble());
    }

    [Fact]
    public void Doctor_deep_on_driver_545_adds_the_hang_finding_found_through_the_watchdog()
    {
        var result = RigProcess.Run(temp.Path, null, TimeSpan.FromSeconds(90), "doctor", "--deep", "--rig", "sim:blog-3x3090-driver545", "--json");
        Assert.True(result.ExitCode == 1, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.True(json.RootElement.GetProperty("deep").GetBoolean());
        var hang = json.RootElement.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("code").GetString() == "p2p-hang");
        Assert.Contains("535", hang.GetProperty("remedy").GetString(), StringComparison.Ordinal);
        Assert.NotEmpty(json.RootElement.GetProperty("watchdog").EnumerateArray());
    }

    [Fact]
    public void Doctor_deep_on_the_fixed_rig_passes_the_peer_check()
    {
        var result = RigProcess.Run(temp.Path, "doctor", "--deep", "--rig", "sim:blog-3x3090", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.DoesNotContain(json.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString()!.StartsWith("p2p-", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_writes_an_imported_run_and_damaged_input_exits_2_with_the_line()
    {
        var fixture = Path.Combine(AppContext.BaseDirectory, "tool-outputs", "p2pBandwidthLatencyTest", "2x4090-no-p2p.txt");
        var result = RigProcess.Run(temp.Path, "import", "p2pBandwidthLatencyTest", fixture, "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using (var json = JsonDocument.Parse(result.Stdout))
        {
            Assert.Equal(12, json.RootElement.GetProperty("rows").GetInt32());
        }

        var rows = File.ReadAllLines(Path.Combine(Assert.Single(Directory.GetDirectories(Path.Combine(temp.Path, "results"))), "rows.csv"));
        Assert.All(rows.Skip(1), r => Assert.Contains(",imported,", r, StringComparison.Ordinal));

        var damaged = temp.File("damaged.txt");
        File.WriteAllText(damaged, "Unidirectional P2P=Disabled Bandwidth Matrix (GB/s)\n   D\\D     0      1\n     0 909.49\n");
        var bad = RigProcess.Run(temp.Path, "import", "p2p", damaged);
        Assert.True(bad.ExitCode == 2, bad.ToString());
        Assert.Contains("damaged.txt: at line 3", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_options_are_usage_errors()
    {
        Assert.Equal(2, RigProcess.Run(temp.Path, "bandwidth", "--size", "lots").ExitCode);
        Assert.Equal(2, RigProcess.Run(temp.Path, "bandwidth", "--cases", "warp_drive").ExitCode);
        Assert.Equal(2, RigProcess.Run(temp.Path, "allreduce", "--p2p", "maybe").ExitCode);
        Assert.Equal(2, RigProcess.Run(temp.Path, "allreduce", "-b", "1M", "-e", "8").ExitCode);
    }
}
