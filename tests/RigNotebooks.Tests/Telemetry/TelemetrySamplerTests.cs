using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Simulation;
using RigNotebooks.Telemetry;

namespace RigNotebooks.Tests.Telemetry;

public sealed class TelemetrySamplerTests
{
    [Fact]
    public async Task Energy_from_the_counter_matches_the_analytic_integral_exactly()
    {
        using var clock = new SimulatedClock(_ => { });
        var sampler = new TelemetrySampler(new AnalyticTelemetry(clock, 2, withCounter: true), clock, DataSource.Simulated);
        sampler.Start();
        await clock.DelayAsync(2, default);
        var window = sampler.BeginWindow("w");
        await clock.DelayAsync(15, default);
        var report = sampler.EndWindow(window);
        sampler.Stop();

        var expected = AnalyticTelemetry.EnergyAt(17) - AnalyticTelemetry.EnergyAt(2);
        Assert.Equal(15, report.ElapsedS, 9);
        Assert.All(report.Gpus, g => Assert.Equal(EnergyMethod.Counter, g.EnergyMethod));
        Assert.Equal(expected, report.Gpus[0].EnergyJ!.Value, 6);
        Assert.Equal(2 * expected, report.Gpus[1].EnergyJ!.Value, 6);
        Assert.Equal(3 * expected, report.TotalEnergyJ, 6);
        Assert.Equal(expected / 15, report.Gpus[0].AveragePowerW!.Value, 6);
    }

    [Fact]
    public async Task Without_a_counter_power_is_integrated_and_lands_within_a_tenth_of_a_percent()
    {
        using var clock = new SimulatedClock(_ => { });
        var sampler = new TelemetrySampler(new AnalyticTelemetry(clock, 1, withCounter: false), clock, DataSource.Simulated, new SamplerOptions(RateHz: 10));
        sampler.Start();
        await clock.DelayAsync(1.3, default);
        var window = sampler.BeginWindow("w");
        await clock.DelayAsync(12.45, default);
        var report = sampler.EndWindow(window);

        var expected = AnalyticTelemetry.EnergyAt(13.75) - AnalyticTelemetry.EnergyAt(1.3);
        var g = report.Gpus[0];
        Assert.Equal(EnergyMethod.IntegratedPower, g.EnergyMethod);
        Assert.InRange(g.EnergyJ!.Value, expected * 0.999, expected * 1.001);
        Assert.Equal("IntegratedPower", report.EnergyMethods);
    }

    [Fact]
    public void A_constant_power_integrates_exactly_and_a_counter_reset_falls_back_to_integration()
    {
        GpuSample S(double t, double p, double? e) => new(t, 0, new GpuReading(p, null, e, null, null, null, null, null, null, null, null, null, null));
        var (flat, method) = TelemetryStatistics.Energy([S(0, 300, null), S(0.5, 300, null), S(2, 300, null)]);
        Assert.Equal(600, flat!.Value, 9);
        Assert.Equal(EnergyMethod.IntegratedPower, method);

        var (reset, how) = TelemetryStatistics.Energy([S(0, 100, 9_000), S(1, 100, 10), S(2, 100, 110)]);
        Assert.Equal(200, reset!.Value, 9);
        Assert.Equal(EnergyMethod.IntegratedPower, how);

        Assert.Equal(EnergyMethod.None, TelemetryStatistics.Energy([S(0, double.NaN, null)]).Method);
    }

    [Fact]
    public async Task Rows_follow_the_row_conventions_and_unreported_metrics_are_waived_once()
    {
        using var clock = new SimulatedClock(_ => { });
        var rows = new List<ResultRow>();
        var sampler = new TelemetrySampler(new AnalyticTelemetry(clock, 2, withCounter: true, withVram: false), clock, DataSource.Simulated,
            new SamplerOptions(RateHz: 4, Experiment: "monitor"), rows.AddRange);
        sampler.Parameters = new Dictionary<string, string> { ["cap_w"] = "285" };
        sampler.Start();
        await clock.DelayAsync(1, default);
        sampler.Stop();

        // 4 Hz for 1 s: ticks at 0, 0.25, 0.5, 0.75, 1.0 = 5 samples per GPU; the stop falls on the last tick's instant and
        // does not sample it again.
        Assert.Equal(10, sampler.SampleCount);
        Assert.Equal(5, rows.Count(r => r.Gpu == 0 && r.Metric == "power"));
        Assert.All(rows, r =>
        {
            Assert.Equal("monitor", r.Experiment);
            Assert.Equal("telemetry", r.Case);
            Assert.Equal(DataSource.Simulated, r.Source);
        });

        var ok = rows.Where(r => r.Status == RowStatus.Ok).ToList();
        var metrics = ok.Where(r => r.Gpu == 0 && r.Parameter("t_s") == "0.5").ToDictionary(r => r.Metric, r => r);
        Assert.Equal(12, metrics.Count); // 13 metrics less vram_temp
        Assert.Equal(AnalyticTelemetry.PowerAt(0.5), metrics["power"].Value, 9);
        Assert.Equal("W", metrics["power"].Unit);
        Assert.Equal("J", metrics["energy"].Unit);
        Assert.Equal("C", metrics["core_temp"].Unit);
        Assert.Equal("MHz", metrics["sm_clock"].Unit);
        Assert.Equal("%", metrics["util_gpu"].Unit);
        Assert.Equal("count", metrics["clock_event_reasons"].Unit);
        Assert.Equal("GB/s", metrics["pcie_tx"].Unit);
        Assert.Equal("285", metrics["power"].Parameter("cap_w"));

        var waived = rows.Where(r => r.Status == RowStatus.Waived).ToList();
        Assert.Equal(2, waived.Count);
        Assert.All(waived, w =>
        {
            Assert.Equal("vram_temp", w.Metric);
            Assert.True(double.IsNaN(w.Value));
            Assert.False(string.IsNullOrEmpty(w.Note));
        });
    }

    [Fact]
    public async Task Window_statistics_report_peaks_steady_values_and_time_throttled()
    {
        using var clock = new SimulatedClock(_ => { });
        var sampler = new TelemetrySampler(new AnalyticTelemetry(clock, 1, withCounter: true), clock, DataSource.Simulated);
        sampler.Start();
        var window = sampler.BeginWindow("w");
        await clock.DelayAsync(15, default);
        var g = sampler.EndWindow(window).Gpus[0];

        Assert.Equal(55, g.PeakCoreTempC!.Value, 6);            // 40 + t at t = 15
        Assert.InRange(g.SteadyCoreTempC!.Value, 52.4, 52.6);    // mean over the last third (t in 10..15)
        Assert.Equal(75, g.PeakVramTempC!.Value, 6);
        Assert.InRange(g.ThrottledFraction!.Value, 0.32, 0.35);   // power cap from t = 10 on
        Assert.Equal((ulong)ClockEventReasons.SwPowerCap, g.ReasonsSeen);
        Assert.True(g.ReasonFractions.ContainsKey("sw_power_cap"));
    }

    [Fact]
    public void The_wall_clock_sampler_ticks_in_the_background_never_faster_than_its_rate()
    {
        var rows = new List<ResultRow>();
        var clock = new WallClock();
        using var sampler = new TelemetrySampler(new AnalyticTelemetry(clock, 1, withCounter: true), clock, DataSource.Measured, new SamplerOptions(RateHz: 50), batch =>
        {
            lock (rows)
            {
                rows.AddRange(batch);
            }
        });
        var started = clock.NowS;
        sampler.Start();
        for (var i = 0; i < 100 && sampler.SampleCount < 5; i++)
        {
            Thread.Sleep(50); // on a loaded CI machine ticks can come late; wait for them, up to 5 s
        }

        sampler.Stop();
        var elapsed = clock.NowS - started;

        Assert.True(sampler.SampleCount >= 5, $"only {sampler.SampleCount} samples in {elapsed:0.00} s");
        Assert.True(sampler.SampleCount <= (elapsed * 50) + 3, $"{sampler.SampleCount} samples in {elapsed:0.00} s is faster than 50 Hz");
        var times = rows.Where(r => r.Metric == "power").Select(r => double.Parse(r.Parameter("t_s")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.Order(), times); // monotonic
    }

    [Fact]
    public void Clock_event_reasons_decode_to_names()
    {
        Assert.Equal(["gpu_idle", "sw_power_cap", "hw_thermal"], ClockEventReasonsText.Decode(0x4 | 0x40 | 0x1)); // 0x1: NVML's GPU idle
        Assert.Equal(["hw_slowdown", "sw_thermal", "power_brake"], ClockEventReasonsText.Decode(0x8 | 0x20 | 0x80));
        Assert.False(ClockEventReasonsText.IsThrottled(0x1));
        Assert.True(ClockEventReasonsText.IsThrottled(0x80));
    }

    [Fact]
    public void Energy_turns_into_money_through_the_dated_price_table()
    {
        var de = RigNotebooks.Planning.Cost.ElectricityTariffs.Find("DE");
        Assert.Equal("2024-H1", de.Period);
        Assert.Equal(0.395, EnergyUnits.Cost(3.6e6, de), 12);
        Assert.Equal(0.0395, EnergyUnits.Cost(360_000, de), 12);
    }

    [Fact]
    public async Task A_window_opened_and_closed_on_ticks_counts_each_instant_once()
    {
        using var clock = new SimulatedClock(_ => { });
        var rows = new List<ResultRow>();
        var sampler = new TelemetrySampler(new AnalyticTelemetry(clock, 3, withCounter: true), clock, DataSource.Simulated, new SamplerOptions(RateHz: 10), rows.AddRange);
        var seen = new List<GpuSample>();
        sampler.Sampled += seen.AddRange;
        sampler.Start();
        var window = sampler.BeginWindow("w"); // t = 0, the first tick's instant
        await clock.DelayAsync(5, default);
        var report = sampler.EndWindow(window); // t = 5, the last tick's instant
        sampler.Stop(); // t = 5 again

        Assert.Equal(3 * 51, seen.Count);
        Assert.Equal(3 * 51, sampler.SampleCount);
        Assert.Equal(seen.Count, seen.Select(s => (s.Gpu, s.TimeS)).Distinct().Count());
        Assert.Equal(51, rows.Count(r => r.Gpu == 1 && r.Metric == "power"));
        Assert.All(report.Gpus, g => Assert.Equal(51, g.SampleCount));

        // A window opened at an instant already sampled still gets that instant's samples.
        var late = sampler.BeginWindow("late");
        Assert.Single(sampler.EndWindow(late).Gpus, g => g.Gpu == 0 && g.SampleCount == 1);
    }

    [Fact]
    public async Task A_row_interval_thins_the_rows_but_not_the_samples_windows_and_listeners_see()
    {
        using var clock = new SimulatedClock(_ => { });
        var rows = new List<ResultRow>();
        var sampler = new TelemetrySampler(new AnalyticTelemetry(clock, 2, withCounter: true), clock, DataSource.Simulated, new SamplerOptions(RateHz: 10), rows.AddRange);
        var seen = 0;
        sampler.Sampled += s => seen += s.Count;
        sampler.RowIntervalS = 1;
        sampler.Start();
        var window = sampler.BeginWindow("thinned");
        await clock.DelayAsync(10, default); // samples at t = 0, 0.1, …, 10: rows only at whole seconds
        var report = sampler.EndWindow(window);
        sampler.RowIntervalS = 0;
        await clock.DelayAsync(1, default); // back to every sample: t = 10.1 … 11
        sampler.Stop();

        Assert.Equal(2 * 111, seen);
        Assert.All(report.Gpus, g => Assert.Equal(101, g.SampleCount));
        var times = rows.Where(r => r.Gpu == 0 && r.Metric == "power").Select(r => r.TimeUtc).ToList();
        Assert.Equal(11 + 10, times.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.RowIntervalS = -1);
    }
}
