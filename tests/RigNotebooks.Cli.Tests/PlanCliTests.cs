using System.Text.Json;

namespace RigNotebooks.Cli.Tests;

/// <summary>End-to-end: the `rig` process for `plan` and `cost`, its exit codes, and JSON that parses.</summary>
public sealed class PlanCliTests : IDisposable
{
    private readonly TempFolder temp = new("rig-plan-tests-");
    private readonly string results;

    public PlanCliTests() => results = temp.Path;

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Plan_compares_the_reference_and_the_bifurcated_rig_as_json()
    {
        var (code, stdout, stderr) = Rig("plan", "--compare", "sim:blog-3x3090", "sim:bifurcated-4x4", "--json");
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var rigs = json.RootElement.GetProperty("rigs");
        Assert.Equal(2, rigs.GetArrayLength());
        double Figure(int rig, string metric) =>
            rigs[rig].GetProperty("figures").EnumerateArray().First(f => f.GetProperty("metric").GetString() == metric).GetProperty("value").GetDouble();
        Assert.True(Figure(1, "efficiency") < Figure(0, "efficiency"));
        Assert.True(Figure(1, "allreduce_busbw") < Figure(0, "allreduce_busbw"));
        var sentence = json.RootElement.GetProperty("verdicts")[0].GetProperty("sentence").GetString();
        Assert.Contains("3-GPU efficiency", sentence, StringComparison.Ordinal);

        var run = Assert.Single(Directory.GetDirectories(results));
        Assert.Contains("allreduce_busbw", File.ReadAllText(Path.Combine(run, "rows.csv")), StringComparison.Ordinal);
    }

    [Fact]
    public void Cost_of_the_reference_rig_as_json()
    {
        var (code, stdout, stderr) = Rig("cost", "--rig", "sim:blog-3x3090", "--json");
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var report = json.RootElement.GetProperty("report");
        Assert.Equal(2379, report.GetProperty("own").GetProperty("capitalEur").GetDouble());
        Assert.True(report.GetProperty("own").GetProperty("eurPerMillionTokens").GetDouble() > 0);
        var rent = report.GetProperty("rent");
        Assert.True(rent.GetArrayLength() >= 6);
        Assert.Contains(rent.EnumerateArray(), q => q.GetProperty("breakevenMonths").ValueKind == JsonValueKind.Number);
    }

    [Theory]
    [InlineData("at least one GPU", "plan", "--compare", "sim:blog-3x3090", "--set", "gpus=0")]
    [InlineData("x32", "plan", "--compare", "sim:blog-3x3090", "--set", "link=gen3x32")]
    [InlineData("no free slot for GPU 4", "plan", "--rig", "sim:blog-3x3090", "--set", "gpus=5")]
    [InlineData("too small to run its GPUs", "plan", "--compare", "sim:blog-3x3090", "--set", "psu=150")]
    [InlineData("Unknown rig profile", "plan", "--compare", "sim:no-such-rig")]
    [InlineData("--price-kwh", "cost", "--price-kwh", "0")]
    [InlineData("--price-kwh", "cost", "--price-kwh=-0.3")]
    [InlineData("--hours-per-day", "cost", "--hours-per-day", "25")]
    public void Bad_input_exits_2_naming_the_problem(string expected, params string[] args)
    {
        var (code, _, stderr) = Rig(args);
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_with_an_unknown_gpu_model_exits_2()
    {
        Directory.CreateDirectory(results);
        var profile = Path.Combine(results, "my-rig.json");
        File.WriteAllText(profile, File.ReadAllText(Path.Combine(RepoRoot.Path, "data", "rigs", "blog-3x3090.json")).Replace("NVIDIA GeForce RTX 3090", "NVIDIA GeForce RTX 9090", StringComparison.Ordinal));
        var (code, _, stderr) = Rig("cost", "--rig", $"sim:{profile}");
        Assert.Equal(2, code);
        Assert.Contains("unknown GPU model 'NVIDIA GeForce RTX 9090'", stderr, StringComparison.Ordinal);
    }

    private (int Code, string Stdout, string Stderr) Rig(params string[] args)
    {
        Directory.CreateDirectory(results);
        var result = RigProcess.Run(results, [.. args, "--results", results]);
        return (result.ExitCode, result.Stdout, result.Stderr);
    }
}
