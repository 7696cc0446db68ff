using RigNotebooks.Workloads;

namespace RigNotebooks.Tests.Workloads;

public sealed class WorkMeterTests
{
    [Fact]
    public void Counted_work_is_interpolated_between_completions()
    {
        var meter = new WorkMeter();
        meter.Begin(0, [0, 1]);
        meter.Add(2, 100, 0);   // 100 units over 0..2 s on GPU 0
        meter.Add(2, 50, 1);
        meter.Add(4, 100, 0);

        var t = meter.Throughput(1, 3)!;
        Assert.Equal(ThroughputMethod.Counted, t.Method);
        Assert.Equal(100.0 / 2 + 25.0 / 2, t.UnitsPerS, 9); // GPU 0: 50 + 50 in 1..3; GPU 1: 25 in 1..2
        Assert.Equal(50, t.PerGpuUnitsPerS[0], 9);
        Assert.Equal(12.5, t.PerGpuUnitsPerS[1], 9);
        Assert.Equal(250, meter.TotalUnits, 9);
    }

    [Fact]
    public void Reported_rates_are_averaged_over_the_window()
    {
        var meter = new WorkMeter();
        meter.ReportRate(0.5, 10);
        meter.ReportRate(1.5, 12);
        meter.ReportRate(2.5, 14);
        meter.ReportRate(9.0, 100);
        var t = meter.Throughput(1, 3)!;
        Assert.Equal(ThroughputMethod.ReportedRate, t.Method);
        Assert.Equal(13, t.UnitsPerS, 9);
        Assert.Equal(9.0, meter.LastActivityS);
    }

    [Fact]
    public void No_work_in_the_window_is_null()
    {
        var meter = new WorkMeter();
        meter.Begin(0);
        Assert.Null(meter.Throughput(1, 2));
        Assert.Null(meter.Throughput(2, 2));
    }
}
