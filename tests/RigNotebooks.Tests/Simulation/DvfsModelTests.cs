using RigNotebooks.Data;
using RigNotebooks.Simulation.Physics;

namespace RigNotebooks.Tests.Simulation;

public class DvfsModelTests
{
    private static readonly DvfsModel Rtx3090 = new(ReferenceData.Default.FindGpu("NVIDIA GeForce RTX 3090")!);

    [Fact]
    public void Full_boost_draws_the_default_limit()
    {
        var stock = Rtx3090.At(350, 0);
        Assert.Equal(1, stock.ClockFraction, 6);
        Assert.Equal(350, stock.PowerW, 6);
        Assert.False(stock.PowerLimited);
    }

    [Fact]
    public void A_285_W_cap_costs_a_few_percent_and_saves_energy_on_a_compute_bound_load()
    {
        var stock = Rtx3090.At(350, 0);
        var capped = Rtx3090.At(285, 0);
        var slowdown = 1 - (capped.RelativeThroughput / stock.RelativeThroughput);
        var energyPerUnit = capped.PowerW / capped.RelativeThroughput / (stock.PowerW / stock.RelativeThroughput);
        Assert.InRange(slowdown, 0.01, 0.05);
        Assert.True(energyPerUnit < 0.90, $"energy per unit ratio {energyPerUnit}");
        Assert.True(capped.PowerW <= 285);
    }

    [Fact]
    public void Power_grows_faster_than_clock_and_throughput_is_monotonic_in_the_cap()
    {
        var previous = 0.0;
        for (var cap = 100; cap <= 350; cap += 25)
        {
            var point = Rtx3090.At(cap, 0.3);
            Assert.True(point.RelativeThroughput >= previous);
            previous = point.RelativeThroughput;
        }

        Assert.True(Rtx3090.PowerAt(0.5) - Rtx3090.StaticPowerW < 0.5 * (Rtx3090.PowerAt(1) - Rtx3090.StaticPowerW));
    }

    [Fact]
    public void Memory_bound_work_loses_less_to_a_cap()
    {
        var compute = Rtx3090.At(250, 0).RelativeThroughput;
        var mixed = Rtx3090.At(250, 0.5).RelativeThroughput;
        Assert.True(mixed > compute);
    }
}
