using RigNotebooks.Errors;
using RigNotebooks.Model;
using RigNotebooks.Profiles;

namespace RigNotebooks.Tests.Profiles;

public class ProfileTests
{
    public static TheoryData<string> Profiles => new(TestRigs.AllProfiles);

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Every_embedded_profile_loads_and_describes_a_consistent_rig(string name)
    {
        var rig = TestRigs.Sim(name).Describe();
        Assert.Equal(DataSource.Simulated, rig.Source);
        Assert.NotEmpty(rig.Gpus);
        Assert.Equal(rig.Gpus.Count * rig.Gpus.Count, rig.Pairs.Count);
        Assert.All(rig.Gpus, g => Assert.StartsWith("GPU-", g.Uuid, StringComparison.Ordinal));
        Assert.All(rig.Pairs.Where(p => p.From == p.To), p => Assert.Equal(GpuRelation.Self, p.Relation));
        Assert.All(rig.Psus.SelectMany(p => p.FeedsGpus), i => Assert.InRange(i, 0, rig.Gpus.Count - 1));
    }

    [Fact]
    public void The_embedded_list_has_the_names_other_issues_rely_on()
    {
        Assert.Equal(TestRigs.AllProfiles.Order(StringComparer.Ordinal), RigProfileLoader.EmbeddedNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_reference_rig_is_three_3090s_on_pcie3_x16_with_285_W_caps()
    {
        var rig = TestRigs.Sim("blog-3x3090").Describe();
        Assert.Equal(3, rig.Gpus.Count);
        Assert.All(rig.Gpus, g =>
        {
            Assert.Equal("NVIDIA GeForce RTX 3090", g.Name);
            Assert.Equal(new PcieLink(3, 16, 3, 16), g.Link);
            Assert.Equal(285, g.PowerLimits.CurrentW);
        });
        Assert.Equal(GpuRelation.HostBridge, rig.Pair(0, 1).Relation);
        Assert.Equal(GpuRelation.AcrossNumaNodes, rig.Pair(0, 2).Relation);
        Assert.All(rig.PeerPairs, p => Assert.True(p.P2P.Supported));
        Assert.Equal(60, rig.Platform.CpuPcieLanesUsable);
        Assert.Equal(2, rig.Psus.Count);
        Assert.Equal([0, 1], rig.Psus[0].FeedsGpus);
    }

    [Fact]
    public void Simulated_uuids_are_stable_and_distinct()
    {
        var a = TestRigs.Sim("blog-3x3090").Describe().Gpus.Select(g => g.Uuid).ToList();
        var b = TestRigs.Sim("blog-3x3090").Describe().Gpus.Select(g => g.Uuid).ToList();
        Assert.Equal(a, b);
        Assert.Equal(3, a.Distinct().Count());
        Assert.Matches("^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", a[0]);
    }

    [Theory]
    [InlineData("", "malformed JSON at line 1, byte 1: ")]
    [InlineData("{ \"name\": \"x\", ", "malformed JSON at line 1, byte 16: Expected start of a property name or value, but instead reached end of data.")]
    [InlineData("{\n  \"name\": ", "malformed JSON at line 2, byte 11: ")]
    public void Malformed_json_gives_the_kits_one_based_position_only(string broken, string problem)
    {
        var ex = Assert.Throws<InputFileException>(() => RigProfileLoader.Parse(broken, "my-rig.json"));
        Assert.StartsWith(problem, ex.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith(".", ex.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"name\": ", "$", "malformed JSON")]
    [InlineData("\"gpus\": [", "$.gpuz", "unknown field 'gpuz'")]
    public void Malformed_and_unknown_input_is_rejected_with_a_path(string broken, string path, string problem)
    {
        var json = broken.StartsWith('{') ? broken : ProfileJson.Reference().Replace("\"gpus\": [", "\"gpus\": [], \"gpuz\": [", StringComparison.Ordinal);
        var ex = Assert.Throws<InputFileException>(() => RigProfileLoader.Parse(json, "my-rig.json"));
        Assert.Equal("my-rig.json", ex.File);
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
        Assert.StartsWith(path, ex.JsonPath, StringComparison.Ordinal);
        Assert.Contains("my-rig.json", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$.gpus[0].link.width", "x5 is not a PCIe link width")]
    [InlineData("$.psus[0].ratingW", "must be positive")]
    [InlineData("$.psus[0].feeds[1]", "GPU 7 does not exist")]
    [InlineData("$.gpus[0].model", "unknown GPU model")]
    [InlineData("$.gpus[1].parent", "no bridge with id")]
    [InlineData("$.platform.iommu", "one of: off, passthrough, translating")]
    [InlineData("$.gpus[0].busId", "missing required field 'busId'")]
    public void Impossible_values_name_the_json_path_and_the_problem(string path, string problem)
    {
        var json = ProfileJson.Reference();
        json = path switch
        {
            "$.gpus[0].link.width" => ProfileJson.ReplaceFirst(json, "\"width\": 16 }, \"powerLimitW\"", "\"width\": 5 }, \"powerLimitW\""),
            "$.psus[0].ratingW" => ProfileJson.ReplaceFirst(json, "\"ratingW\": 750", "\"ratingW\": -750"),
            "$.psus[0].feeds[1]" => ProfileJson.ReplaceFirst(json, "\"feeds\": [0, 1]", "\"feeds\": [0, 7]"),
            "$.gpus[0].model" => ProfileJson.ReplaceFirst(json, "\"model\": \"NVIDIA GeForce RTX 3090\"", "\"model\": \"RTX 9999\""),
            "$.gpus[1].parent" => ProfileJson.ReplaceFirst(json, "\"parent\": \"die0-rp3\"", "\"parent\": \"nowhere\""),
            "$.platform.iommu" => ProfileJson.ReplaceFirst(json, "\"iommu\": \"off\"", "\"iommu\": \"sometimes\""),
            "$.gpus[0].busId" => ProfileJson.ReplaceFirst(json, "\"busId\": \"0000:09:00.0\", ", string.Empty),
            _ => throw new ArgumentOutOfRangeException(nameof(path)),
        };
        var ex = Assert.Throws<InputFileException>(() => RigProfileLoader.Parse(json, "edited.json"));
        Assert.Equal(path, ex.JsonPath);
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Profile_files_load_by_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rig-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, ProfileJson.Reference());
        try
        {
            using var rig = RigNotebooks.Rigs.RigSelector.Open($"sim:{path}");
            Assert.Equal(3, rig.Describe().Gpus.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_unknown_rig_lists_the_available_profiles()
    {
        var ex = Assert.Throws<RigInputException>(() => RigNotebooks.Rigs.RigSelector.Open("sim:nope"));
        Assert.Contains("blog-3x3090-driver545", ex.Message, StringComparison.Ordinal);
        var kind = Assert.Throws<RigInputException>(() => RigNotebooks.Rigs.RigSelector.Open("mars"));
        Assert.Contains("sim:<profile>", kind.Message, StringComparison.Ordinal);
    }
}
