using RigNotebooks.Simulation.Physics;

namespace RigNotebooks.Tests.Simulation;

public class DataParallelModelTests
{
    private const double TokensPerGpu = 16 * 512;

    private static double Efficiency(string profile, int gpus, bool p2p)
    {
        var model = new DataParallelModel(TestRigs.Sim(profile));
        var one = model.Step(TransformerShape.Reference, 1, p2p, TokensPerGpu);
        var many = model.Step(TransformerShape.Reference, gpus, p2p, TokensPerGpu);
        return many.TokensPerSecond / (gpus * one.TokensPerSecond);
    }

    [Fact]
    public void Reference_model_is_about_100M_parameters()
    {
        Assert.InRange(TransformerShape.Reference.ParameterCount, 90_000_000, 130_000_000);
    }

    [Fact]
    public void Three_gpus_with_p2p_scale_almost_linearly_on_the_reference_rig()
    {
        Assert.True(Efficiency("blog-3x3090", 3, true) >= 0.90);
    }

    [Fact]
    public void P2P_off_scales_clearly_worse_and_the_split_says_why()
    {
        var on = Efficiency("blog-3x3090", 3, true);
        var off = Efficiency("blog-3x3090", 3, false);
        Assert.True(off < on - 0.10, $"P2P off {off:P1} vs on {on:P1}");
        var step = new DataParallelModel(TestRigs.Sim("blog-3x3090")).Step(TransformerShape.Reference, 3, false, TokensPerGpu);
        Assert.True(step.ExposedCommunicationTimeS > 0.1 * step.ComputeTimeS);
        Assert.Contains("staged through host", step.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_riser_trained_down_to_gen1_makes_the_ring_and_so_training_scale_worse()
    {
        Assert.True(Efficiency("blog-3x3090-riser", 3, true) < Efficiency("blog-3x3090", 3, true) - 0.05);
        Assert.Equal(Efficiency("blog-3x3090", 2, true), Efficiency("blog-3x3090-riser", 2, true), 9); // GPUs 0 and 1 keep their Gen3 links
    }

    [Fact]
    public void The_bifurcated_rig_scales_worse_than_the_x16_rig()
    {
        Assert.True(Efficiency("bifurcated-4x4", 3, true) < Efficiency("blog-3x3090", 3, true));
    }

    [Fact]
    public void Driver545_training_hangs_with_p2p_on()
    {
        var step = new DataParallelModel(TestRigs.Sim("blog-3x3090-driver545")).Step(TransformerShape.Reference, 3, true, TokensPerGpu);
        Assert.True(step.Hangs);
    }
}
