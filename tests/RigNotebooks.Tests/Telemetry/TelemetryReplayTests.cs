using RigNotebooks.Results;
using RigNotebooks.Telemetry;

namespace RigNotebooks.Tests.Telemetry;

public sealed class TelemetryReplayTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("rig-replay-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public async Task A_recorded_run_replays_to_the_same_energy_and_temperatures()
    {
        using var rig = TestRigs.Sim("blog-3x3090");
        var store = new RunStore(dir);
        TelemetryWindowReport live;
        string id;
        using (var run = store.Create("monitor", new(), rig.Describe()))
        {
            var clock = rig.Get<IRigClock>().Require();
            await using var burn = rig.Get<RigNotebooks.Workloads.IWorkloadProvider>().Require().Create("burn");
            using var sampler = TelemetrySampler.ForRun(run, rig.Get<IGpuTelemetry>().Require(), clock, rateHz: 5);
            sampler.Start();
            var window = sampler.BeginWindow("all");
            await burn.StartAsync(default);
            await clock.DelayAsync(30, default);
            live = sampler.EndWindow(window);
            sampler.Stop();
            run.Complete();
            id = run.Id;
        }

        var samples = TelemetryReplay.Samples(store.Load(id).Rows);
        Assert.Equal([0, 1, 2], samples.Select(s => s.Gpu).Distinct().Order());
        var replayed = TelemetryReplay.Window(samples, "replay", live.StartS, live.EndS);
        for (var g = 0; g < 3; g++)
        {
            Assert.Equal(live.Gpus[g].EnergyJ!.Value, replayed.Gpus[g].EnergyJ!.Value, 6);
            Assert.Equal(EnergyMethod.Counter, replayed.Gpus[g].EnergyMethod);
            Assert.Equal(live.Gpus[g].PeakVramTempC!.Value, replayed.Gpus[g].PeakVramTempC!.Value, 9);
        }
    }
}
