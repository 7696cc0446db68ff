using System.Text.Json;
using RigNotebooks.Model;
using RigNotebooks.Rigs;

namespace RigNotebooks.Cli.Tests.Commands;

/// <summary>`rig topo --json` output read back as a captured rig (`capture:&lt;dir&gt;`) keeps every fact it carries.</summary>
public sealed class CaptureRoundTripTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("rig-capture-roundtrip-");

    public void Dispose() => folder.Delete(recursive: true);

    [Theory]
    [InlineData("sim:blog-3x3090")]
    [InlineData("sim:bifurcated-4x4")]
    public async Task Topo_json_replays_as_the_same_rig(string selection)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(0, await RigCli.RunAsync(["topo", "--rig", selection, "--json"], stdout, stderr));
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "topo.json"), stdout.ToString());

        using var original = RigSelector.Open(selection);
        using var replay = RigSelector.Open($"capture:{folder.FullName}");
        var a = original.Describe();
        var b = replay.Describe();
        Assert.Equal(DataSource.Measured, replay.Source);
        Assert.Equal($"capture:{folder.FullName}", b.RigId);
        Assert.Equal(a.Platform, b.Platform);
        Assert.Equal(a.Bridges, b.Bridges);
        Assert.Equal(a.Unknowns, b.Unknowns);
        Assert.Equal(a.Gpus.Count, b.Gpus.Count);
        foreach (var (ga, gb) in a.Gpus.Zip(b.Gpus))
        {
            Assert.Equal(ga with { AirflowPosition = null, UpstreamBridgeIds = [], Serial = null }, gb with { UpstreamBridgeIds = [] });
            Assert.Equal(ga.UpstreamBridgeIds, gb.UpstreamBridgeIds);
        }

        Assert.Equal(a.Pairs, b.Pairs);
    }

    [Fact]
    public async Task Topo_on_a_capture_runs_as_a_child_process()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, await RigCli.RunAsync(["topo", "--rig", "sim:blog-3x3090", "--json"], stdout, new StringWriter()));
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "topo.json"), stdout.ToString());
        var run = RigProcess.Run(folder.FullName, "topo", "--rig", $"capture:{folder.FullName}", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.Equal("measured", doc.RootElement.GetProperty("source").GetString());
        Assert.Equal(3, doc.RootElement.GetProperty("gpus").GetArrayLength());
    }
}
