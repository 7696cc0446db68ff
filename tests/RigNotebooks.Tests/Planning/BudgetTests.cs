using RigNotebooks.Data;
using RigNotebooks.Doctor;
using RigNotebooks.Doctor.Budgets;
using RigNotebooks.Doctor.Rules;

namespace RigNotebooks.Tests.Planning;

public class BudgetTests
{
    private static LaneBudget Lanes(string profile) => LaneBudget.Of(TestRigs.Sim(profile).Describe(), ReferenceData.Default);

    private static IReadOnlyList<PsuBudget> Psus(string profile) => PsuBudget.Of(TestRigs.Sim(profile).Describe(), ReferenceData.Default);

    private static IReadOnlyList<Finding> Rule(IDoctorRule rule, string profile) =>
        rule.Check(new DoctorInput(TestRigs.Sim(profile).Describe(), new Dictionary<string, string>(), ReferenceData.Default)).ToList();

    [Fact]
    public void Reference_rig_uses_52_of_60_usable_lanes()
    {
        var lanes = Lanes("blog-3x3090");
        Assert.Equal(48, lanes.GpuLanes);
        Assert.Equal(4, lanes.OtherLanes);
        Assert.Equal(60, lanes.UsableLanes);
        Assert.Equal(8, lanes.SpareLanes);
        Assert.False(lanes.Exceeded);
        Assert.Contains("64 CPU lanes", lanes.Evidence, StringComparison.Ordinal); // corrects the write-up's "48 lanes"
    }

    [Theory]
    [InlineData(2, 0, 1200, 750, "; together that is 1200 W against 750 W")]
    [InlineData(1, 250, 850, 750, "; with the 250 W other load that is 850 W against 750 W")]
    [InlineData(1, 0, 600, 500, ", against 500 W")]
    public void The_transient_sum_names_the_other_load_only_when_there_is_one(int gpus, double otherW, double transientW, double ratingW, string text)
    {
        Assert.Equal(text, PsuBudget.TransientSum(gpus, otherW, transientW, ratingW));
    }

    [Fact]
    public void A_fourth_card_on_the_X399_rig_takes_every_usable_lane_at_x8()
    {
        var lanes = Lanes("blog-4x3090");
        Assert.Equal(16 + 16 + 16 + 8, lanes.GpuLanes);
        Assert.Equal(0, lanes.SpareLanes);
        Assert.Contains("3 x 16 + 1 x 8", lanes.Evidence, StringComparison.Ordinal);
        var finding = Assert.Single(Rule(new LaneBudgetRule(), "blog-4x3090"));
        Assert.Equal("lane-budget", finding.Code);
        Assert.Contains("Every usable CPU lane is taken", finding.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bifurcated_rig_counts_its_x4_branches_against_the_consumer_cpu()
    {
        var lanes = Lanes("bifurcated-4x4");
        Assert.Equal(12, lanes.GpuLanes);
        Assert.Equal(20, lanes.UsableLanes);
        Assert.Equal(4, lanes.SpareLanes);
    }

    [Fact]
    public void Reference_rig_psu_a_has_the_write_ups_180_W_margin_at_285_W()
    {
        var a = Psus("blog-3x3090")[0];
        Assert.Equal(750 - (2 * 285), a.HeadroomW);
        Assert.Equal(180, a.HeadroomW);
        Assert.Equal("750 - 2 x 285 W = 180 W", a.Arithmetic);
        Assert.False(a.Overloaded);
        Assert.Equal(1200, a.TransientLoadW);
        Assert.True(a.TransientRisk);
        Assert.Equal(200, a.MinimumLoadW);
    }

    [Fact]
    public void A_fourth_card_overloads_psu_b()
    {
        var b = Psus("blog-4x3090")[1];
        Assert.Equal(750 - (2 * 285) - 250, b.HeadroomW);
        Assert.True(b.Overloaded);
        Assert.Equal("750 - 2 x 285 W - 250 W other load = -70 W", b.Arithmetic);
        Assert.Contains(Rule(new PsuHeadroomRule(), "blog-4x3090"), f => f.Code == "psu-overloaded" && f.Severity == Severity.Error && f.Evidence.Contains("-70 W", StringComparison.Ordinal));
    }

    [Fact]
    public void Psu_rule_reports_headroom_and_transients_on_the_reference_rig()
    {
        var findings = Rule(new PsuHeadroomRule(), "blog-3x3090");
        Assert.Contains(findings, f => f.Code == "psu-headroom" && f.Title.Contains("180 W of headroom", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Code == "psu-transient-risk" && f.Evidence.Contains("1200 W against 750 W", StringComparison.Ordinal));
        Assert.DoesNotContain(findings, f => f.Code == "psu-overloaded");
    }
}
