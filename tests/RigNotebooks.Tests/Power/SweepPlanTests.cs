using RigNotebooks.Errors;
using RigNotebooks.Model;
using RigNotebooks.Power;

namespace RigNotebooks.Tests.Power;

public sealed class SweepPlanTests
{
    private static readonly PowerLimits[] ThreeCapped = [new(100, 350, 350, 285), new(100, 350, 350, 285), new(100, 350, 350, 285)];

    [Fact]
    public void Default_plan_goes_from_the_maximum_down_in_steps_and_includes_the_cap_in_force()
    {
        var plan = SweepPlan.Create(ThreeCapped, null, 25, 200);
        Assert.Equal([350.0, 325, 300, 285, 275, 250, 225, 200], plan.CapsW);
    }

    [Fact]
    public void Default_plan_reaches_the_minimum_limit()
    {
        var plan = SweepPlan.Create(ThreeCapped, null);
        Assert.Equal(350, plan.CapsW[0]);
        Assert.Equal(100, plan.CapsW[^1]);
        Assert.Equal(12, plan.CapsW.Count);
    }

    [Fact]
    public void Given_caps_are_sorted_high_to_low_without_duplicates()
    {
        var plan = SweepPlan.Create(ThreeCapped, [250, 350, 285, 250]);
        Assert.Equal([350.0, 285, 250], plan.CapsW);
    }

    [Fact]
    public void Caps_outside_any_gpus_constraints_are_refused_naming_the_gpu()
    {
        PowerLimits[] mixed = [new(100, 350, 350, 350), new(150, 300, 320, 300)];
        var ex = Assert.Throws<RigInputException>(() => SweepPlan.Create(mixed, [330, 120]));
        Assert.Contains("330 W", ex.Message);
        Assert.Contains("GPU 1: 150–320 W", ex.Message);
        Assert.Contains("120 W", ex.Message);
        Assert.Contains("nothing was changed", ex.Message);
    }

    [Fact]
    public void A_lowest_cap_outside_the_range_is_refused() =>
        Assert.Throws<RigInputException>(() => SweepPlan.Create(ThreeCapped, null, 25, 50));
}
