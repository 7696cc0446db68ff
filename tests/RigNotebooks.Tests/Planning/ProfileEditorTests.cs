using RigNotebooks.Data;
using RigNotebooks.Doctor.Budgets;
using RigNotebooks.Errors;
using RigNotebooks.Planning;
using RigNotebooks.Profiles;

namespace RigNotebooks.Tests.Planning;

public class ProfileEditorTests
{
    private static RigProfile Edit(string profile, params string[] edits) =>
        ProfileEditor.Apply(TestRigs.Sim(profile).Profile, $"sim:{profile}", edits, ReferenceData.Default).Profile;

    private static string Problem(string profile, params string[] edits) =>
        Assert.ThrowsAny<RigInputException>(() => Edit(profile, edits)).Message;

    [Fact]
    public void Zero_gpus_is_impossible()
    {
        Assert.Contains("at least one GPU", Problem("blog-3x3090", "gpus=0"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_x32_link_is_impossible()
    {
        var message = Problem("blog-3x3090", "link=gen3x32");
        Assert.Contains("x32", message, StringComparison.Ordinal);
        Assert.Contains("x16 at most", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_wider_than_the_slot_is_impossible()
    {
        Assert.Contains("x4 slot", Problem("bifurcated-4x4", "link=gen3x16"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_faster_than_the_cpu_lanes_is_impossible()
    {
        Assert.Contains("Gen3", Problem("blog-3x3090", "link=gen4x16"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_narrower_link_keeps_the_slots_so_the_lane_budget_is_unchanged()
    {
        var edited = Edit("blog-3x3090", "link=gen3x4");
        Assert.All(edited.Gpus, g => Assert.Equal(4, g.Link.Width));
        Assert.All(edited.Gpus, g => Assert.Equal(16, g.Link.MaxWidth));
        var rig = new RigNotebooks.Simulation.SimulatedRig(edited, "edited");
        Assert.Equal(52, LaneBudget.Of(rig.Describe(), ReferenceData.Default).NeededLanes);
    }

    [Fact]
    public void A_card_beyond_the_free_slots_is_impossible()
    {
        var message = Problem("blog-3x3090", "gpus=5");
        Assert.Contains("no free slot for GPU 4", message, StringComparison.Ordinal);
        Assert.Contains("blog-4x3090", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("blog-3x3090")]
    [InlineData("blog-3x3090-driver545")]
    [InlineData("blog-3x3090-iommu")]
    public void A_fourth_card_on_the_X399_rig_goes_in_its_free_x8_slot_like_the_4x3090_profile(string profile)
    {
        var edited = Edit(profile, "gpus=4");
        var planned = TestRigs.Sim("blog-4x3090").Profile;
        var added = edited.Gpus[3];
        Assert.Equal("die1-rp3", added.Parent);
        Assert.Equal(planned.Gpus[3].BusId, added.BusId);
        Assert.Equal(planned.Gpus[3].AirflowPosition, added.AirflowPosition);
        Assert.Equal(planned.Psus.Select(p => p.Feeds), edited.Psus.Select(p => p.Feeds));

        var rig = new RigNotebooks.Simulation.SimulatedRig(edited, "edited").Describe();
        var reference = TestRigs.Sim("blog-4x3090").Describe();
        Assert.Equal(reference.Gpus[3].Link, rig.Gpus[3].Link);
        Assert.Equal(LaneBudget.Of(reference, ReferenceData.Default).Evidence, LaneBudget.Of(rig, ReferenceData.Default).Evidence);
        Assert.Equal(
            PsuBudget.Of(reference, ReferenceData.Default).Select(b => (b.Arithmetic, b.Overloaded)),
            PsuBudget.Of(rig, ReferenceData.Default).Select(b => (b.Arithmetic, b.Overloaded)));
        Assert.True(PsuBudget.Of(rig, ReferenceData.Default)[1].Overloaded, "PSU B feeds two cards plus the system");
    }

    [Fact]
    public void A_free_slot_is_not_part_of_the_simulated_rig()
    {
        var rig = TestRigs.Sim("blog-3x3090").Describe();
        Assert.Contains(TestRigs.Sim("blog-3x3090").Profile.Bridges, b => b.Id == "die1-rp3");
        Assert.DoesNotContain(rig.Bridges, b => b.Id == "die1-rp3");
        Assert.Equal(["die0", "die0-rp1", "die0-rp3", "die1", "die1-rp1"], rig.Bridges.Select(b => b.Id));
        Assert.All(rig.Gpus, g => Assert.Equal("Gen3 x16", g.Link.ToString()));
    }

    [Fact]
    public void A_fourth_card_on_the_bifurcator_takes_its_free_branch_and_the_psu()
    {
        var edited = Edit("bifurcated-4x4", "gpus=4");
        Assert.Equal(4, edited.Gpus.Count);
        var added = edited.Gpus[3];
        Assert.Equal("rp-d", added.Parent);
        Assert.Equal(4, added.Link.Width);
        Assert.Equal(285, added.PowerLimitW);
        Assert.Equal(3, added.AirflowPosition);
        Assert.Equal([0, 1, 2, 3], edited.Psus[0].Feeds);
        Assert.Equal(4, edited.Gpus.Select(g => g.BusId).Distinct().Count());
    }

    [Fact]
    public void The_notes_describe_the_rig_after_every_edit()
    {
        var edited = ProfileEditor.Apply(TestRigs.Sim("bifurcated-4x4").Profile, "sim:bifurcated-4x4", ["gpus=4", "psu=1000", "cap=250"], ReferenceData.Default);
        var note = edited.Notes[0];
        Assert.Contains("GPU 3 (NVIDIA GeForce RTX 3090 at 250 W)", note, StringComparison.Ordinal);
        Assert.Contains("fed by PSU: 1000 W", note, StringComparison.Ordinal);
        Assert.DoesNotContain("1200 W", note, StringComparison.Ordinal);
        Assert.Equal([0, 1, 2, 3], edited.Profile.Psus[0].Feeds);
    }

    [Fact]
    public void An_added_card_goes_to_the_unit_with_the_most_headroom_after_the_other_edits()
    {
        // Before psu[0]=1200, PSU B has more headroom (215 W vs 180 W); after it, PSU A does (630 W).
        var edited = ProfileEditor.Apply(TestRigs.Sim("blog-3x3090").Profile, "sim:blog-3x3090", ["gpus=4", "psu[0]=1200"], ReferenceData.Default);
        Assert.Equal([0, 1, 3], edited.Profile.Psus[0].Feeds);
        Assert.Equal([2], edited.Profile.Psus[1].Feeds);
        Assert.Contains("fed by PSU A: Seasonic Focus+ Platinum 1200 W", edited.Notes[0], StringComparison.Ordinal);

        var removed = ProfileEditor.Apply(TestRigs.Sim("bifurcated-4x4").Profile, "sim:bifurcated-4x4", ["gpus=4", "gpus=3"], ReferenceData.Default);
        Assert.Contains("GPU 3 (removed again by a later edit)", removed.Notes[0], StringComparison.Ordinal);
        Assert.Equal([0, 1, 2], removed.Profile.Psus[0].Feeds);
    }

    [Fact]
    public void Fewer_gpus_drop_their_psu_wiring()
    {
        var edited = Edit("blog-3x3090", "gpus=2");
        Assert.Equal(2, edited.Gpus.Count);
        Assert.Empty(edited.Psus[1].Feeds);
    }

    [Fact]
    public void Caps_psus_and_ambient_are_edited_and_validated()
    {
        var edited = Edit("blog-3x3090", "cap=250", "psu[1]=1000", "ambient=30");
        Assert.All(edited.Gpus, g => Assert.Equal(250, g.PowerLimitW));
        Assert.Equal(750, edited.Psus[0].RatingW);
        Assert.Equal(1000, edited.Psus[1].RatingW);
        Assert.Equal(30, edited.Cooling!.AmbientC);

        var file = Assert.IsType<InputFileException>(Assert.ThrowsAny<RigInputException>(() => Edit("blog-3x3090", "cap=50")));
        Assert.Equal("$.gpus[0].powerLimitW", file.JsonPath);
        Assert.Contains("no psu[5]", Problem("blog-3x3090", "psu[5]=1000"), StringComparison.Ordinal);
        Assert.Contains("positive", Problem("blog-3x3090", "psu=-5"), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_gpu_models_and_edit_keys_are_named()
    {
        var model = Assert.IsType<InputFileException>(Assert.ThrowsAny<RigInputException>(() => Edit("blog-3x3090", "gpu=RTX 9090")));
        Assert.Equal("$.gpus[0].model", model.JsonPath);
        Assert.Contains("unknown GPU model 'RTX 9090'", model.Problem, StringComparison.Ordinal);
        Assert.Contains("unknown edit 'widht'", Problem("blog-3x3090", "widht=4"), StringComparison.Ordinal);
        Assert.Contains("not a number", Problem("blog-3x3090", "cap=lots"), StringComparison.Ordinal);
        Assert.Contains("key=value", Problem("blog-3x3090", "cap"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_file_with_an_x32_gpu_link_is_rejected_too()
    {
        var json = EmbeddedData.ReadText("rigs/blog-3x3090.json")
            .Replace("\"link\": { \"gen\": 3, \"width\": 16 }, \"powerLimitW\"", "\"link\": { \"gen\": 3, \"width\": 32 }, \"powerLimitW\"", StringComparison.Ordinal);
        var ex = Assert.Throws<InputFileException>(() => RigProfileLoader.Parse(json, "x32.json"));
        Assert.Equal("$.gpus[0].link.width", ex.JsonPath);
    }
}
