using RigNotebooks.Simulation.Physics;
using RigNotebooks.Training.Model;
using RigNotebooks.Training.Native;
using static TorchSharp.torch;

namespace RigNotebooks.Training.Tests;

public class ModelTests
{
    public ModelTests() => TorchSharpLoader.EnsureLoadable();

    [Theory]
    [InlineData("test")]
    [InlineData("tiny")]
    [InlineData("small")]
    public void The_cores_parameter_count_matches_the_TorchSharp_model(string name)
    {
        var config = ShapeRules.ByName(name);
        using var model = new TransformerLm(config);
        Assert.Equal(config.ParameterCount, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void The_reference_model_is_about_100M_parameters_and_its_flops_follow_6N()
    {
        var r = TransformerShape.Reference;
        Assert.InRange(r.ParameterCount, 85_000_000, 120_000_000);
        Assert.InRange(r.TrainingFlopsPerToken / (6.0 * r.ParameterCount), 1.0, 1.1); // the attention term is small at T = 512
        Assert.Equal(r.ParameterCount * 4, r.GradientBytes);
    }

    [Fact]
    public void Logits_do_not_depend_on_later_tokens()
    {
        manual_seed(1);
        using var model = new TransformerLm(ShapeRules.Test);
        using var a = tensor(new long[] { 1, 2, 3, 4, 5, 6 }, [1, 6]);
        using var b = tensor(new long[] { 1, 2, 3, 9, 9, 9 }, [1, 6]);
        using var la = model.forward(a);
        using var lb = model.forward(b);
        Assert.True(la.narrow(1, 0, 3).allclose(lb.narrow(1, 0, 3), rtol: 1e-5, atol: 1e-6));
        Assert.False(la.narrow(1, 3, 1).allclose(lb.narrow(1, 3, 1)));
    }

    [Fact]
    public void The_bf16_path_computes_nearly_the_same_loss()
    {
        manual_seed(2);
        using var fp32 = new TransformerLm(ShapeRules.Test);
        using var bf16 = new TransformerLm(ShapeRules.Test, Precision.Bf16Autocast);
        bf16.load_state_dict(fp32.state_dict());
        using var batch = randint(0, 64, [4, 33], dtype: ScalarType.Int64);
        using var l32 = fp32.Loss(batch);
        using var l16 = bf16.Loss(batch);
        Assert.InRange(l16.item<float>(), l32.item<float>() - 0.05, l32.item<float>() + 0.05);
        Assert.Equal(ScalarType.Float32, l16.dtype);
    }
}
