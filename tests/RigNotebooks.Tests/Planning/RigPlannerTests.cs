using RigNotebooks.Errors;
using RigNotebooks.Planning;
using RigNotebooks.Results;
using RigNotebooks.Simulation.Physics;

namespace RigNotebooks.Tests.Planning;

public class RigPlannerTests
{
    private static RigPlan Plan(string spec, PlanOptions? options = null, params string[] edits) =>
        RigPlanner.Default.Plan(PlanCandidate.Open(spec, edits), options ?? PlanOptions.Default);

    private static double Value(RigPlan plan, string metric, string? model = null) =>
        plan.Figure(metric, model)?.Value ?? throw new Xunit.Sdk.XunitException($"{plan.Label}: {metric} is unknown: {plan.Figure(metric, model)?.Explanation}");

    [Fact]
    public void The_bifurcated_rig_scales_worse_than_the_x16_rig_on_the_reference_model()
    {
        var x16 = Plan("sim:blog-3x3090");
        var x4 = Plan("sim:bifurcated-4x4");
        var model = TransformerShape.Reference.Name;
        Assert.True(Value(x4, "efficiency", model) < Value(x16, "efficiency", model) - 20, $"{Value(x4, "efficiency", model):0} % vs {Value(x16, "efficiency", model):0} %");
        Assert.True(Value(x4, "tokens_per_s", model) < Value(x16, "tokens_per_s", model));
        Assert.True(Value(x4, "allreduce_busbw") < Value(x16, "allreduce_busbw") / 3);
        Assert.True(Value(x4, "host_to_device") < Value(x16, "host_to_device") / 3);

        var verdict = PlanComparison.Verdict(x16, x4);
        Assert.Equal("efficiency", verdict.Deltas[0].Metric);
        Assert.StartsWith("3-GPU efficiency (gpt-100m)", verdict.Deltas[0].Text, StringComparison.Ordinal);
        Assert.Contains(verdict.Deltas, d => d.Metric == "allreduce_busbw");
    }

    [Fact]
    public void A_fourth_card_on_the_X399_rig_shows_its_lane_and_psu_consequences()
    {
        var three = Plan("sim:blog-3x3090");
        var four = Plan("sim:blog-4x3090");
        Assert.Equal(8, Value(three, "lanes_spare"));
        Assert.Equal(0, Value(four, "lanes_spare"));
        Assert.Equal(180, Value(three, "psu_headroom_min"));
        Assert.Equal(-70, Value(four, "psu_headroom_min"));
        Assert.Contains(four.Psus, p => p.Status == "overloaded" && p.HeadroomAtCapsW == -70);
        Assert.True(Value(four, "allreduce_busbw") < Value(three, "allreduce_busbw"), "the x8 slot narrows the ring");

        var verdict = PlanComparison.Verdict(three, four);
        Assert.Contains(verdict.Deltas, d => d.Metric == "lanes_spare");
        Assert.Contains(verdict.Deltas, d => d.Metric == "psu_headroom_min");
        Assert.Contains(verdict.Deltas, d => d.Metric == "tokens_per_s" && d.Text.Contains("on 4 GPUs", StringComparison.Ordinal));
        Assert.Contains(verdict.NewProblems, f => f.Code == "psu-overloaded");
        Assert.DoesNotContain(verdict.NewProblems, f => f.Code == "psu-transient-risk"); // the baseline has those already
    }

    [Fact]
    public void Figures_carry_their_derivation()
    {
        var plan = Plan("sim:blog-3x3090");
        Assert.All(plan.Figures, f => Assert.False(string.IsNullOrWhiteSpace(f.Explanation), f.Metric));
        Assert.Contains("busbw = algbw x 2(n-1)/n", plan.Figure("allreduce_busbw")!.Explanation, StringComparison.Ordinal);
        Assert.Contains("750 - 2 x 285 W = 180 W", plan.Figure("psu_headroom_min")!.Explanation, StringComparison.Ordinal);
        Assert.InRange(Value(plan, "vram_temp_max"), 103, 105); // calibrated: the right-most card's VRAM at 104 °C
    }

    [Fact]
    public void A_model_too_big_for_the_cards_is_unknown_not_invented()
    {
        var plan = Plan("sim:blog-3x3090", new PlanOptions(ModelSize.Parse("7B")));
        var big = plan.Figures.Where(f => f.Model is { } m && m.StartsWith("custom-", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(big);
        Assert.All(big, f => Assert.Null(f.Value));
        Assert.Contains("model state", big[0].Explanation, StringComparison.Ordinal);
        Assert.NotNull(plan.Figure("tokens_per_s", TransformerShape.Reference.Name)!.Value);

        var row = PlanRows.Of(plan).First(r => r.Metric == "tokens_per_s" && r.Parameter("model") != TransformerShape.Reference.Name);
        Assert.Equal(RowStatus.Waived, row.Status);
        Assert.StartsWith("unknown:", row.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rig_whose_peer_copies_hang_has_unknown_throughput()
    {
        var plan = Plan("sim:blog-3x3090-driver545");
        Assert.Null(plan.Figure("tokens_per_s", TransformerShape.Reference.Name)!.Value);
        Assert.Contains("hangs", plan.Figure("tokens_per_s", TransformerShape.Reference.Name)!.Explanation, StringComparison.Ordinal);
        Assert.Null(plan.Figure("allreduce_busbw")!.Value);
    }

    [Fact]
    public void A_psu_too_small_for_any_cap_is_an_input_error()
    {
        var ex = Assert.ThrowsAny<RigInputException>(() => Plan("sim:blog-3x3090", null, "psu[1]=300"));
        Assert.Contains("too small to run its GPUs at any power cap", ex.Message, StringComparison.Ordinal);
        Assert.Contains("350 W", ex.Message, StringComparison.Ordinal); // 100 W lowest limit + 250 W other load
    }

    [Fact]
    public void Edits_that_matter_show_in_the_verdict_and_those_that_do_not_stay_quiet()
    {
        var baseline = Plan("sim:blog-3x3090");
        var bigger = Plan("sim:blog-3x3090", null, "psu=1000");
        var verdict = PlanComparison.Verdict(baseline, bigger);
        Assert.Contains(verdict.Deltas, d => d.Metric == "psu_headroom_min");
        Assert.DoesNotContain(verdict.Deltas, d => d.Metric is "efficiency" or "tokens_per_s" or "allreduce_busbw");
    }

    [Theory]
    [InlineData("350M", 350e6)]
    [InlineData("1.3B", 1.3e9)]
    [InlineData("125000000", 125e6)]
    [InlineData("70B", 70e9)]
    [InlineData("1T", 1e12)]
    public void Parameter_counts_become_a_transformer_of_about_that_size(string text, double parameters)
    {
        var shape = ModelSize.Parse(text);
        Assert.InRange(shape.ParameterCount, parameters * 0.85, parameters * 1.15);
        Assert.Equal(64 * shape.Layers, shape.ModelDim);
    }

    [Theory]
    [InlineData("30B", 30e9)]
    [InlineData("70B", 70e9)]
    [InlineData("1T", 1e12)]
    public void Large_parameter_counts_land_within_a_few_percent(string text, double parameters)
    {
        // A layer more or less changes a large model by about 3 / layers, so the nearest shape is within ~1 %.
        Assert.InRange(ModelSize.Parse(text).ParameterCount, parameters * 0.97, parameters * 1.03);
    }

    [Fact]
    public void Model_presets_and_bad_model_sizes()
    {
        Assert.Same(TransformerShape.Reference, ModelSize.Parse("gpt-100m"));
        Assert.Contains("parameter count", Assert.Throws<RigInputException>(() => ModelSize.Parse("huge")).Message, StringComparison.Ordinal);
        Assert.Throws<RigInputException>(() => ModelSize.Parse("-5M"));
    }
}
