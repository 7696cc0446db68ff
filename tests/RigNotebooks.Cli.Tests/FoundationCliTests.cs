using System.Text.Json;

namespace RigNotebooks.Cli.Tests;

/// <summary>The `rig` command end to end, as a process: doctor, topo, runs, and the bad-input contract.</summary>
public sealed class FoundationCliTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Doctor_on_driver_545_exits_1_naming_the_driver_and_the_remedy()
    {
        var result = RigProcess.Run(temp.Path, "doctor", "--rig", "sim:blog-3x3090-driver545");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("545.23.08", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("535", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("NCCL_P2P_DISABLE=1", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_on_the_fixed_rig_exits_0_and_its_json_parses()
    {
        var result = RigProcess.Run(temp.Path, "doctor", "--rig", "sim:blog-3x3090", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("simulated", json.RootElement.GetProperty("source").GetString());
        var findings = json.RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.NotEmpty(findings);
        Assert.DoesNotContain(findings, f => f.GetProperty("severity").GetString() == "error");
        Assert.True(Directory.Exists(Path.Combine(temp.Path, "results")), "doctor writes its run under ./results");
    }

    [Fact]
    public void Topo_json_lists_three_gpus_on_pcie3_x16()
    {
        var result = RigProcess.Run(temp.Path, "topo", "--rig", "sim:blog-3x3090", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var gpus = json.RootElement.GetProperty("gpus").EnumerateArray().ToList();
        Assert.Equal(3, gpus.Count);
        Assert.All(gpus, g =>
        {
            Assert.Equal(3, g.GetProperty("link").GetProperty("currentGen").GetInt32());
            Assert.Equal(16, g.GetProperty("link").GetProperty("currentWidth").GetInt32());
        });
        Assert.Equal("SYS", json.RootElement.GetProperty("relations")[0][2].GetString());
        Assert.True(json.RootElement.GetProperty("p2p")[0][1].GetProperty("read").GetBoolean());
    }

    [Fact]
    public void Human_topo_shows_the_relation_matrix()
    {
        var result = RigProcess.Run(temp.Path, "topo");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("PHB", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Gen3 x16", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_rig_exits_2_listing_the_profiles()
    {
        var result = RigProcess.Run(temp.Path, "doctor", "--rig", "sim:no-such-rig");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("blog-3x3090-iommu", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void A_bad_profile_exits_2_with_file_path_and_problem()
    {
        var profile = temp.File("bad.json");
        var json = File.ReadAllText(Path.Combine(RepoRoot.Path, "data", "rigs", "blog-3x3090.json")).Replace("\"ratingW\": 750", "\"ratingW\": -5", StringComparison.Ordinal);
        File.WriteAllText(profile, json);
        var result = RigProcess.Run(temp.Path, "doctor", "--rig", $"sim:{profile}", "--json");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("bad.json", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("$.psus[0].ratingW", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);

        File.WriteAllText(profile, "{ not json");
        var malformed = RigProcess.Run(temp.Path, "topo", "--rig", $"sim:{profile}");
        Assert.True(malformed.ExitCode == 2, malformed.ToString());
        Assert.Contains("malformed JSON", malformed.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unwritable_results_folder_is_refused_before_work_starts()
    {
        var file = temp.File("not-a-folder");
        File.WriteAllText(file, "x");
        var result = RigProcess.Run(temp.Path, "doctor", "--results", Path.Combine(file, "results"));
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("not writable", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("rig doctor", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_usage_error_exits_2()
    {
        var result = RigProcess.Run(temp.Path, "doctor", "--no-such-option");
        Assert.True(result.ExitCode == 2, result.ToString());
    }

    [Fact]
    public void Runs_list_and_show_read_back_what_doctor_wrote()
    {
        Assert.Equal(1, RigProcess.Run(temp.Path, "doctor", "--rig", "sim:blog-3x3090-driver545").ExitCode);
        var list = RigProcess.Run(temp.Path, "runs", "list", "--json");
        Assert.True(list.ExitCode == 0, list.ToString());
        using var json = JsonDocument.Parse(list.Stdout);
        var run = Assert.Single(json.RootElement.GetProperty("runs").EnumerateArray());
        Assert.Equal("completed", run.GetProperty("status").GetString());
        var id = run.GetProperty("id").GetString()!;

        var show = RigProcess.Run(temp.Path, "runs", "show", id);
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("p2p-known-bad-driver", show.Stdout, StringComparison.Ordinal);
    }
}
