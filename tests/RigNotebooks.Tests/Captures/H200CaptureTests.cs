using System.Text.Json;
using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Telemetry;
using RigNotebooks.Tests.Support;

namespace RigNotebooks.Tests.Captures;

/// <summary>
/// Real values from the GPU check run on a lent NVIDIA H200 (data/captures/h200-2026-11-27, driver 580.159.04,
/// Firecracker VM, one GPU). Measured, not simulated: these assertions hold that machine's numbers, so a change in the
/// readers or the replay that alters what the kit reads from a real capture fails here.
/// </summary>
public sealed class H200CaptureTests
{
    private const string Name = "h200-2026-11-27";

    private static string Folder => Path.Combine(RepoPaths.Captures, Name);

    private static LoadedRun Run(string experiment) =>
        RunStore.LoadFolder(Directory.EnumerateDirectories(Path.Combine(Folder, "results")).Single(d => Path.GetFileName(d).Contains($"-{experiment}-local-", StringComparison.Ordinal)));

    [Fact]
    public void The_captured_rig_replays_with_its_real_identity_link_memory_and_power_limits()
    {
        using var rig = CaptureReplay.Open(Name);
        var d = rig.Describe();
        Assert.Equal(DataSource.Measured, rig.Source);
        var gpu = Assert.Single(d.Gpus);
        Assert.Equal("NVIDIA H200", gpu.Name);
        Assert.Equal("Hopper", gpu.Architecture);
        Assert.Equal("0000:00:06.0", gpu.PciBusId);
        Assert.Equal(150_754_820_096, gpu.MemoryBytes);
        Assert.Equal(new PcieLink(5, 16, 5, 16), gpu.Link);
        Assert.Equal(new PowerLimits(200, 700, 700, 700), gpu.PowerLimits);
        Assert.Equal("580.159.04", d.Platform.DriverVersion);
        Assert.Equal("13.0", d.Platform.CudaDriverVersion);
        Assert.Equal(IommuMode.Off, d.Platform.Iommu);
        Assert.Equal(GpuRelation.Self, Assert.Single(d.Pairs).Relation);
    }

    [Fact]
    public void Host_copies_were_measured_on_the_gen5_link_and_agree_with_cuda_events_within_5_percent()
    {
        var rows = Run("bandwidth").Rows;
        using var crosscheck = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "bandwidth-crosscheck.json")));
        foreach (var @case in new[] { "host_to_device_pinned", "device_to_host_pinned", "device_local_copy" })
        {
            var kit = rows.Single(r => r.Case == @case && r.Metric == "bandwidth");
            Assert.Equal(DataSource.Measured, kit.Source);
            var events = crosscheck.RootElement.GetProperty("results").GetProperty(@case).GetProperty("bandwidthGBps").GetDouble();
            Assert.InRange(kit.Value / events, 0.95, 1.05);
        }

        var h2d = rows.Single(r => r.Case == "host_to_device_pinned" && r.Metric == "bandwidth").Value;
        Assert.InRange(h2d, 40, Pcie.LaneGBps(5) * 16); // Gen5 x16: 63 GB/s raw; 55 GB/s measured
        Assert.Equal(5, rows.Single(r => r.Case == "host_to_device_pinned" && r.Metric == "link_gen").Value);
        var peer = rows.Where(r => r.Case.StartsWith("peer_", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(peer);
        Assert.All(peer, r => Assert.Equal(RowStatus.Waived, r.Status));
    }

    [Fact]
    public void The_one_rank_all_reduce_and_the_trainers_nccl_path_were_correct()
    {
        var rows = Run("allreduce").Rows;
        Assert.All(rows.Where(r => r.Metric == "busbw" && r.Status == RowStatus.Ok), r => Assert.Equal(0, r.Value));
        Assert.All(rows.Where(r => r.Metric == "wrong" && r.Status == RowStatus.Ok), r => Assert.Equal(0, r.Value));
        Assert.Contains(rows, r => r.Metric == "algbw" && r.Value > 0);

        using var selftest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "nccl-selftest.json")));
        Assert.True(selftest.RootElement.GetProperty("correct").GetBoolean());
        Assert.Equal("2.28.3", selftest.RootElement.GetProperty("result").GetProperty("ncclVersion").GetString());
    }

    [Fact]
    public void The_burn_telemetry_replays_to_the_energy_the_monitor_reported()
    {
        var run = Run("monitor");
        var samples = TelemetryReplay.Samples(run.Rows);
        Assert.NotEmpty(samples);
        Assert.All(samples, s => Assert.NotNull(s.Reading.CoreTempC));
        Assert.Contains(samples, s => s.Reading.VramTempC is not null); // the H200 reports its HBM temperature
        var replayed = TelemetryReplay.Window(samples, "replay");
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "monitor-burn.out")));
        var live = report.RootElement.GetProperty("energy").GetProperty("totalJ").GetDouble();
        Assert.Equal(EnergyMethod.Counter, Assert.Single(replayed.Gpus).EnergyMethod);
        Assert.InRange(replayed.TotalEnergyJ, live * 0.95, live * 1.05);
        Assert.Contains(samples, s => s.Reading.PowerW > 250); // the FP32 burn drew ~300 W
    }

    [Fact]
    public void The_captured_first_sample_is_an_idle_gpu_and_its_reason_is_named()
    {
        // The burn had not started at t = 0: NVML said 0x1 (nvmlClocksEventReasonGpuIdle); the kit then printed no name for it.
        var first = TelemetryReplay.Samples(Run("monitor").Rows).OrderBy(s => s.TimeS).First();
        Assert.Equal(1UL, first.Reading.ClockEventReasons);
        Assert.Equal(["gpu_idle"], ClockEventReasonsText.Decode(first.Reading.ClockEventReasons!.Value));
        Assert.False(ClockEventReasonsText.IsThrottled(first.Reading.ClockEventReasons.Value)); // idle is not a slowdown
        Assert.Equal(3201, first.Reading.MemClockMHz);

        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "monitor-burn.out")));
        var captured = report.RootElement.GetProperty("samples")[0];
        Assert.Equal(1UL, captured.GetProperty("clockEventReasons").GetUInt64());
        Assert.Equal(0, captured.GetProperty("clockEventReasonNames").GetArrayLength()); // what the old table printed
    }

    [Fact]
    public void The_users_torchrun_ran_under_the_watchdogs_and_the_sampler()
    {
        var rows = Run("train-scaling").Rows.Where(r => r.Case == "external").ToList();
        var tokens = rows.Single(r => r.Metric == "tokens_per_s");
        Assert.Equal(DataSource.Measured, tokens.Source);
        Assert.True(tokens.Value > 10_000);
        var perToken = rows.Single(r => r.Metric == "energy_per_token");
        Assert.InRange(perToken.Value, 1e-5, 1e-2);
    }
}
