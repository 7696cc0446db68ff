using RigNotebooks.Data;
using RigNotebooks.Doctor;
using RigNotebooks.Telemetry;

namespace RigNotebooks.Tests.Telemetry;

public class ThermalFindingsTests
{
    private static readonly Model.RigDescription Rig = TestRigs.Sim("blog-3x3090").Describe();

    private static GpuWindowStatistics Gpu(int index, double? vram, double core = 65, ulong reasons = (ulong)ClockEventReasons.SwPowerCap, double throttled = 1) =>
        new(index, 600, 171000, EnergyMethod.Counter, 285, 285, core, core, vram, vram, 1635, null, throttled, reasons, new Dictionary<string, double>());

    private static TelemetryWindowReport Window(params GpuWindowStatistics[] gpus) => new("monitor", 0, 600, gpus);

    [Fact]
    public void Vram_within_ten_degrees_of_110_is_a_warning_at_110_an_error_and_the_hottest_card_is_named_with_its_airflow_place()
    {
        var findings = ThermalFindings.Of(Rig, ReferenceData.Default, Window(Gpu(0, 93), Gpu(1, 98), Gpu(2, 104, core: 70)));

        var vram = Assert.Single(findings, f => f.Code == "vram-near-throttle");
        Assert.Equal(Severity.Warning, vram.Severity);
        Assert.Equal("GPU 2 VRAM reached 104 °C, 6 °C from its 110 °C throttle point", vram.Title);
        var hottest = Assert.Single(findings, f => f.Code == "hottest-gpu");
        Assert.StartsWith("GPU 2 runs hottest (airflow position 2 of 2", hottest.Title, StringComparison.Ordinal);
        Assert.Contains("GPU 2: core 70 °C, VRAM 104 °C", hottest.Evidence, StringComparison.Ordinal);
        // The power cap holding the clocks is what a cap does: no slowdown finding for it.
        Assert.DoesNotContain(findings, f => f.Code == "throttle-heat-or-board");

        var hot = ThermalFindings.Of(Rig, ReferenceData.Default, Window(Gpu(0, 101), Gpu(1, 111), Gpu(2, 80)));
        Assert.Equal([Severity.Warning, Severity.Error], hot.Where(f => f.Code == "vram-near-throttle").Select(f => f.Severity).Order());
        Assert.Equal(Severity.Error, hot[0].Severity);
    }

    [Fact]
    public void Thermal_or_board_slowdowns_are_a_warning_and_a_cool_rig_says_only_which_card_is_warmest()
    {
        var slowed = ThermalFindings.Of(Rig, ReferenceData.Default, Window(Gpu(0, 80), Gpu(1, 80, reasons: (ulong)ClockEventReasons.HwThermalSlowdown, throttled: 0.25)));
        var finding = Assert.Single(slowed, f => f.Code == "throttle-heat-or-board");
        Assert.Contains("hw_thermal", finding.Title, StringComparison.Ordinal);
        Assert.Contains("GPU 1: 25 % of samples throttled", finding.Evidence, StringComparison.Ordinal);

        var cool = ThermalFindings.Of(Rig, ReferenceData.Default, Window(Gpu(0, 70), Gpu(1, 72)));
        Assert.Equal(["hottest-gpu"], cool.Select(f => f.Code));
        Assert.Empty(ThermalFindings.Of(Rig, ReferenceData.Default, Window(Gpu(0, null, core: 60) with { PeakCoreTempC = null })));
    }

    [Fact]
    public void Cards_tied_at_the_top_are_all_named_and_a_vram_tie_is_broken_by_the_core()
    {
        // Two cards held at the 110 °C throttle point with the same core: a tie, not "GPU 1" because it came first.
        var tied = ThermalFindings.Of(Rig, ReferenceData.Default, Window(Gpu(0, 108.6, core: 72.6), Gpu(1, 110, core: 73.4), Gpu(2, 110, core: 73.4)));
        Assert.StartsWith("GPUs 1 and 2 run hottest, tied within 0.5 °C (airflow positions 1 and 2 of 2", Assert.Single(tied, f => f.Code == "hottest-gpu").Title, StringComparison.Ordinal);

        var broken = ThermalFindings.Of(Rig, ReferenceData.Default, Window(Gpu(1, 110, core: 70), Gpu(2, 109.8, core: 73)));
        Assert.StartsWith("GPU 2 runs hottest (airflow position 2 of 2", Assert.Single(broken, f => f.Code == "hottest-gpu").Title, StringComparison.Ordinal);
        Assert.Equal([0, 2], HottestGpus.Of([(0, 60, null), (1, 59, null), (2, 60.3, null)]));
    }
}
