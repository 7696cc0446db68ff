using RigNotebooks.Simulation.Physics;

namespace RigNotebooks.Tests.Simulation;

public class ThermalModelTests
{
    [Fact]
    public void The_reference_rig_settles_where_the_write_up_saw_it()
    {
        var model = new ThermalModel(TestRigs.Sim("blog-3x3090").Describe());
        var hottest = model.Steady(2, 285);
        Assert.Equal(70, hottest.CoreC, 6);
        Assert.Equal(104, hottest.VramC, 6);
        Assert.True(model.Steady(0, 285).CoreC < hottest.CoreC, "the first card in the airflow runs coolest");
    }

    [Fact]
    public void Uncapped_the_hottest_vram_would_pass_its_110_C_throttle_point()
    {
        var model = new ThermalModel(TestRigs.Sim("blog-3x3090").Describe());
        Assert.True(model.Steady(2, 350).VramC > 110);
        Assert.InRange(model.PowerForVramC(2, 110), 285, 350);
    }

    [Fact]
    public void Steps_approach_steady_state_with_first_order_dynamics()
    {
        var model = new ThermalModel(TestRigs.Sim("blog-3x3090").Describe());
        var state = model.Cold;
        var afterOneTau = model.Step(2, state, 285, ThermalModel.CoreTimeConstantS);
        var target = model.Steady(2, 285);
        Assert.Equal(model.AmbientC + ((target.CoreC - model.AmbientC) * (1 - Math.Exp(-1))), afterOneTau.CoreC, 6);
        for (var i = 0; i < 100; i++)
        {
            state = model.Step(2, state, 285, 10);
        }

        Assert.Equal(target.VramC, state.VramC, 1);
    }
}
