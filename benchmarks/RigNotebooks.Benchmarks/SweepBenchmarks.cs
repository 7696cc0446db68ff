using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using RigNotebooks.Power;
using RigNotebooks.Results;
using RigNotebooks.Rigs;

namespace RigNotebooks.Benchmarks;

/// <summary>A simulated sweep of 7 caps on the reference rig with the default windows (warm-up until the temperatures
/// settle, at most 600 s of simulated time per cap; 60 s measured; 10 Hz telemetry), rows written to a run on disk as
/// the CLI does. Target: under 10 s of wall time.</summary>
/// <remarks>A single operation takes seconds: run it with few iterations (<c>--job short</c>).</remarks>
public class SweepBenchmarks
{
    private string folder = null!;

    [GlobalSetup]
    public void Setup() => folder = Directory.CreateTempSubdirectory("rig-bench-").FullName;

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(folder, recursive: true);

    [Benchmark(Description = "simulated sweep, 7 caps, 10 Hz, rows to disk")]
    public async Task<int> Sweep7Caps()
    {
        using var rig = RigSelector.Open("sim:blog-3x3090");
        var store = new RunStore(folder);
        using var run = store.Create(PowerSweep.Experiment, new JsonObject(), rig.Describe());
        var spec = new PowerSweepSpec { CapsW = [350, 325, 300, 285, 275, 250, 225] };
        var setup = PowerSweepSetup.ForRig(rig, false, "burn", Path.Combine(folder, "journal.json"), run) with { HandleSignals = false };
        var result = await new PowerSweep(spec, setup).RunAsync(default);
        run.Complete();
        return result.Caps.Count;
    }
}
