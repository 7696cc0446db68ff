using RigNotebooks.Data;
using RigNotebooks.Doctor;
using RigNotebooks.Model;
using RigNotebooks.Profiles;
using RigNotebooks.Simulation;
using RigNotebooks.Tests.Profiles;

namespace RigNotebooks.Tests.Doctor;

public class DoctorTests
{
    private static readonly Dictionary<string, string> CleanEnvironment = [];

    private static IReadOnlyList<Finding> Examine(RigDescription rig, IReadOnlyDictionary<string, string>? environment = null) =>
        RigDoctor.Standard.Examine(new DoctorInput(rig, environment ?? CleanEnvironment, ReferenceData.Default));

    private static IReadOnlyList<Finding> Examine(string profile) => Examine(TestRigs.Sim(profile).Describe());

    private static RigDescription Edited(params (string Find, string Replace)[] edits)
    {
        var json = ProfileJson.Reference();
        foreach (var (find, replace) in edits)
        {
            json = ProfileJson.ReplaceFirst(json, find, replace);
        }

        return new SimulatedRig(RigProfileLoader.Parse(json, "edited.json"), "sim:edited.json").Describe();
    }

    [Fact]
    public void The_fixed_reference_rig_has_no_error_level_finding()
    {
        Assert.DoesNotContain(Examine("blog-3x3090"), f => f.Severity == Severity.Error);
    }

    [Fact]
    public void Driver_545_is_named_with_the_remedy()
    {
        var finding = Assert.Single(Examine("blog-3x3090-driver545"), f => f.Code == "p2p-known-bad-driver");
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("545.23.08", finding.Title, StringComparison.Ordinal);
        Assert.Contains("535", finding.Remedy, StringComparison.Ordinal);
        Assert.Contains("NCCL_P2P_DISABLE=1", finding.Remedy, StringComparison.Ordinal);
        Assert.Contains(finding.Sources, s => s.Contains("nccl issue 1127", StringComparison.Ordinal));
    }

    [Fact]
    public void A_riser_trained_down_to_gen1_is_the_link_finding_for_that_gpu_only()
    {
        var finding = Assert.Single(Examine("blog-3x3090-riser"), f => f.Code == "link-below-max");
        Assert.Contains("GPU 2 link runs at Gen1 x16, below its maximum Gen3 x16", finding.Title, StringComparison.Ordinal);
        Assert.Contains("under load", finding.Evidence, StringComparison.Ordinal);
        Assert.DoesNotContain(Examine("blog-3x3090"), f => f.Code == "link-below-max");
    }

    [Fact]
    public void An_iommu_translating_peer_transfers_is_an_error_with_the_iommu_pt_remedy_and_its_caveat()
    {
        var findings = Examine("blog-3x3090-iommu");
        var finding = Assert.Single(findings, f => f.Code == "iommu-translating");
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("iommu=pt", finding.Remedy, StringComparison.Ordinal);
        Assert.Contains("did not fix", finding.Remedy, StringComparison.Ordinal);
        Assert.Contains(findings, f => f.Code == "acs-enabled" && f.Severity == Severity.Warning);
    }

    [Fact]
    public void The_psu_margin_is_the_write_ups_arithmetic_and_the_transient_risk_is_raised()
    {
        var findings = Examine("blog-3x3090");
        var headroom = findings.First(f => f.Code == "psu-headroom");
        Assert.Contains("750 - 2 x 285 W = 180 W", headroom.Evidence, StringComparison.Ordinal);
        var transient = Assert.Single(findings, f => f.Code == "psu-transient-risk" && f.Title.StartsWith("PSU A", StringComparison.Ordinal));
        Assert.Equal(Severity.Warning, transient.Severity);
        Assert.Contains("600 W each for milliseconds; together that is 1200 W against 750 W.", transient.Evidence, StringComparison.Ordinal);
        Assert.DoesNotContain("other load", transient.Evidence, StringComparison.Ordinal);

        // PSU B carries the rest of the system: its 250 W is named in the sum.
        var withOther = Assert.Single(findings, f => f.Code == "psu-transient-risk" && f.Title.StartsWith("PSU B", StringComparison.Ordinal));
        Assert.Contains("with the 250 W other load that is 850 W against 750 W", withOther.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void The_lane_budget_corrects_the_48_lane_belief()
    {
        var lanes = Assert.Single(Examine("blog-3x3090"), f => f.Code == "lane-budget");
        Assert.Contains("52 of 60 usable", lanes.Evidence, StringComparison.Ordinal);
        Assert.Contains("48", lanes.Evidence, StringComparison.Ordinal);
        Assert.Contains("64 CPU lanes", lanes.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fourth_card_fills_the_lanes_and_overloads_the_second_psu()
    {
        var findings = Examine("blog-4x3090");
        Assert.Contains(findings, f => f.Code == "lane-budget" && f.Title.Contains("60 of 60", StringComparison.Ordinal));
        var psu = Assert.Single(findings, f => f.Code == "psu-overloaded");
        Assert.Equal(Severity.Error, psu.Severity);
        Assert.Contains("= -70 W", psu.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Four_x16_cards_exceed_the_usable_lanes()
    {
        var rig = Edited(("\"width\": 16 }, \"powerLimitW\": 285, \"airflowPosition\": 2", "\"width\": 16 }, \"powerLimitW\": 285, \"airflowPosition\": 2 }, { \"model\": \"NVIDIA GeForce RTX 3090\", \"busId\": \"0000:43:00.0\", \"parent\": \"die1-rp1\", \"link\": { \"gen\": 3, \"width\": 16 }, \"powerLimitW\": 285, \"airflowPosition\": 3"));
        var finding = Assert.Single(Examine(rig), f => f.Code == "lane-budget-exceeded");
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("68", finding.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_trained_narrower_than_its_slot_is_a_warning_and_a_slow_generation_only_a_hint()
    {
        var narrow = Edited(("\"link\": { \"gen\": 3, \"width\": 16 }, \"powerLimitW\"", "\"link\": { \"gen\": 3, \"width\": 4, \"maxWidth\": 16 }, \"powerLimitW\""));
        var finding = Assert.Single(Examine(narrow), f => f.Code == "link-below-max");
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("Gen3 x4", finding.Title, StringComparison.Ordinal);
        Assert.Contains("riser", finding.Remedy, StringComparison.Ordinal);

        var idle = Edited(("\"link\": { \"gen\": 3, \"width\": 16 }, \"powerLimitW\"", "\"link\": { \"gen\": 1, \"width\": 16, \"maxGen\": 3 }, \"powerLimitW\""));
        var hint = Assert.Single(Examine(idle), f => f.Code == "link-below-max");
        Assert.Equal(Severity.Hint, hint.Severity);
        Assert.Contains("idle", hint.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Bifurcated_x4_links_are_a_warning_against_the_cards_native_x16()
    {
        var finding = Assert.Single(Examine("bifurcated-4x4"), f => f.Code == "link-narrow");
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("GPUs 0, 1, 2 on x4", finding.Title, StringComparison.Ordinal);
        Assert.Contains("GPUs 0, 1, 2 (0000:0a:00.0, 0000:0b:00.0, 0000:0c:00.0): at most Gen3 x4 = 3.9 GB/s per direction each vs 15.8 GB/s", finding.Evidence, StringComparison.Ordinal);
        Assert.Contains("native x16", finding.Evidence, StringComparison.Ordinal);
        Assert.Contains("Threadripper", finding.Remedy, StringComparison.Ordinal);
        Assert.Contains("inference", finding.Remedy, StringComparison.Ordinal);
        Assert.Contains(finding.Sources, s => s.StartsWith("REFERENCE.md §2", StringComparison.Ordinal));
    }

    [Fact]
    public void An_x8_fourth_card_is_only_a_hint_and_x16_links_are_not_narrow()
    {
        Assert.DoesNotContain(Examine("blog-3x3090"), f => f.Code == "link-narrow");
        var hint = Assert.Single(Examine("blog-4x3090"), f => f.Code == "link-narrow");
        Assert.Equal(Severity.Hint, hint.Severity);
        Assert.StartsWith("GPU 3 on x8 PCIe link ", hint.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void GeForce_40_series_without_p2p_is_called_out()
    {
        var rig = Edited(
            ("\"model\": \"NVIDIA GeForce RTX 3090\"", "\"model\": \"NVIDIA GeForce RTX 4090\""),
            ("\"model\": \"NVIDIA GeForce RTX 3090\"", "\"model\": \"NVIDIA GeForce RTX 4090\""),
            ("\"model\": \"NVIDIA GeForce RTX 3090\"", "\"model\": \"NVIDIA GeForce RTX 4090\""),
            ("\"powerLimitW\": 285", "\"powerLimitW\": 450"),
            ("\"powerLimitW\": 285", "\"powerLimitW\": 300"),
            ("\"powerLimitW\": 285", "\"powerLimitW\": 300"));
        Assert.False(rig.Pair(0, 1).P2P.Supported);
        var finding = Assert.Single(Examine(rig), f => f.Code == "p2p-disabled-by-driver");
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("RTX 4090", finding.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Nccl_p2p_disable_in_the_environment_is_a_warning()
    {
        var rig = TestRigs.Sim("blog-3x3090").Describe();
        var finding = Assert.Single(Examine(rig, new Dictionary<string, string> { ["NCCL_P2P_DISABLE"] = "1" }), f => f.Code == "nccl-p2p-disabled");
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.DoesNotContain(Examine(rig, new Dictionary<string, string> { ["NCCL_P2P_DISABLE"] = "0" }), f => f.Code == "nccl-p2p-disabled");
    }

    [Fact]
    public void Findings_come_most_severe_first()
    {
        var findings = Examine("blog-3x3090-driver545");
        Assert.Equal(findings.OrderByDescending(f => f.Severity).Select(f => f.Severity), findings.Select(f => f.Severity));
    }
}
