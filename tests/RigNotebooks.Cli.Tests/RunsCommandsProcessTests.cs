using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RigNotebooks.Data;
using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Rigs;

namespace RigNotebooks.Cli.Tests;

/// <summary>`rig runs compare|note|tag|untag|export|import|list|show` as a user runs them: separate processes on a
/// results folder of simulated runs.</summary>
public sealed class RunsCommandsProcessTests : IDisposable
{
    private readonly TempFolder temp = new("rig-cli-tests-");
    private readonly string root;

    public RunsCommandsProcessTests() => root = temp.Path;

    private string Results => Path.Combine(root, "results");

    public void Dispose() => temp.Dispose();

    private ChildProcessResult Rig(params string[] args) => RigProcess.Run(root, [.. args, "--results", Results]);

    private string Doctor(string rig)
    {
        var result = Rig("doctor", "--rig", rig, "--json");
        Assert.True(result.ExitCode is 0 or 1, result.ToString());
        return JsonNode.Parse(result.Stdout)!["runId"]!.GetValue<string>();
    }

    [Fact]
    public void Compare_of_two_simulated_runs_of_different_profiles_prints_deltas_and_environment_differences()
    {
        var fixedRun = Doctor("sim:blog-3x3090");
        var brokenRun = Doctor("sim:blog-3x3090-driver545");
        Assert.Equal(0, Rig("runs", "note", fixedRun, "driver 535, the fix").ExitCode);

        var result = Rig("runs", "compare", fixedRun, brokenRun);

        Assert.Equal(0, result.ExitCode);
        var output = result.Stdout;
        Assert.Contains("Δ 2 vs 1", output, StringComparison.Ordinal);
        Assert.Contains("p2p-known-bad-driver severity", output, StringComparison.Ordinal);
        Assert.Contains("only here", output, StringComparison.Ordinal);
        Assert.Contains("0 (0%)", output, StringComparison.Ordinal);
        Assert.Contains("Environment differences", output, StringComparison.Ordinal);
        Assert.Matches(@"driver\s+│\s+535\.154\.05\s+│\s+545\.23\.08", output);
        Assert.Matches(@"cuda driver\s+│\s+12\.2\s+│\s+12\.3", output);
        Assert.Contains("driver 535, the fix", output, StringComparison.Ordinal);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public void Compare_prints_numeric_deltas_and_flags_simulated_against_measured()
    {
        var store = new RunStore(Results);
        string Write(string rig, double gbps, DataSource? source = null)
        {
            using var opened = RigSelector.Open(rig);
            var description = opened.Describe();
            description = source is { } s ? description with { Source = s } : description;
            using var run = store.Create("bandwidth", new JsonObject { ["rig"] = rig }, description);
            run.Write(ResultRow.Ok("bandwidth", "peer_unidirectional", 0, 1, "bandwidth", gbps, "GB/s", description.Source, new Dictionary<string, string> { ["p2p"] = "on" }));
            run.Complete();
            return run.Id;
        }

        var good = Write("sim:blog-3x3090", 12.0);
        var iommu = Write("sim:blog-3x3090-iommu", 1.8);
        var measured = Write("sim:blog-3x3090", 11.0, DataSource.Measured);

        var result = Rig("runs", "compare", good, iommu, measured);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("-10.2 (-85.0%)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("-1 (-8.3%)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("warning: These runs mix data sources", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"! source\s+│\s+source\s+│\s+simulated\s+│\s+simulated\s+│\s+measured", result.Stdout);

        var json = Rig("runs", "compare", good, iommu, "--json");
        Assert.Equal(0, json.ExitCode);
        var doc = JsonNode.Parse(json.Stdout)!;
        var row = doc["rows"]!.AsArray().Single()!;
        Assert.Equal(-10.2, row["values"]![1]!["deltaAbs"]!.GetValue<double>(), 9);
        Assert.Equal("translating", doc["environment"]!.AsArray().Single(e => e!["field"]!.GetValue<string>() == "iommu")!["values"]![1]!.GetValue<string>());
        Assert.Equal("run 2: +amd_iommu=on -iommu=pt", doc["environment"]!.AsArray().Single(e => e!["field"]!.GetValue<string>() == "kernel command line")!["detail"]!.GetValue<string>());
    }

    [Fact]
    public void Notes_and_tags_are_kept_and_shown()
    {
        var run = Doctor("sim:blog-3x3090");
        Assert.Equal(0, Rig("runs", "note", run, "capped at 285 W").ExitCode);
        Assert.Equal(0, Rig("runs", "tag", run, "capped", "driver-535").ExitCode);
        Assert.Equal(0, Rig("runs", "untag", run, "capped").ExitCode);
        var bad = Rig("runs", "untag", run, "nope");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("has no tag 'nope'", bad.Stderr, StringComparison.Ordinal);

        var show = Rig("runs", "show", run);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("capped at 285 W", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("tags: driver-535", show.Stdout, StringComparison.Ordinal);
        var record = JsonNode.Parse(File.ReadAllText(Path.Combine(Results, run, "run.json")))!;
        Assert.Equal("capped at 285 W", record["notes"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("driver-535", record["tags"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Export_anonymize_leaves_no_uuid_hostname_or_user_name_and_import_brings_the_runs_back_once()
    {
        // A user's own profile in their home folder, with their machine's name and their cards' UUIDs in it.
        var user = "zorblaxuser";
        var host = "zorblax-workstation";
        string[] uuids = ["GPU-5f2a9c1e-7b3d-4e8f-9a6b-1c2d3e4f5a6b", "GPU-6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d", "GPU-7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f"];
        var profile = JsonNode.Parse(EmbeddedData.ReadText("rigs/blog-3x3090.json"))!;
        profile["name"] = "my-rig";
        profile["platform"]!["hostname"] = host;
        for (var i = 0; i < 3; i++)
        {
            profile["gpus"]![i]!["uuid"] = uuids[i];
        }

        var profilePath = Path.Combine(root, "home", user, "rigs", "my-rig.json");
        Directory.CreateDirectory(Path.GetDirectoryName(profilePath)!);
        File.WriteAllText(profilePath, profile.ToJsonString());

        var mine = Doctor($"sim:{profilePath}");
        var reference = Doctor("sim:blog-3x3090-iommu");
        Assert.Equal(0, Rig("runs", "note", mine, $"cards {uuids[0]} and {uuids[2].ToUpperInvariant()} in {host}, profile {profilePath}").ExitCode);
        Assert.Equal(0, Rig("runs", "tag", mine, $"host:{host}").ExitCode);

        var archive = Path.Combine(root, "share.zip");
        var export = Rig("runs", "export", mine, reference, "--out", archive, "--anonymize");
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains("anonymised", export.Stdout, StringComparison.Ordinal);

        var secrets = uuids.Concat(uuids.Select(u => u[4..])).Append(host).Append(user).ToList();
        using (var zip = ZipFile.OpenRead(archive))
        {
            Assert.Contains(zip.Entries, e => e.FullName.EndsWith("summary.html", StringComparison.Ordinal));
            foreach (var entry in zip.Entries)
            {
                using var stream = entry.Open();
                using var reader = new StreamReader(stream, Encoding.UTF8);
                var text = reader.ReadToEnd();
                foreach (var secret in secrets)
                {
                    Assert.DoesNotContain(secret, entry.FullName, StringComparison.OrdinalIgnoreCase);
                    Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
                }

                // This machine's own name and user (in writerHost) are gone too, as whole words.
                foreach (var local in new[] { Environment.MachineName, Environment.UserName }.Where(IsSpecific))
                {
                    Assert.DoesNotMatch($@"(?i)(?<![A-Za-z0-9]){Regex.Escape(local)}(?![A-Za-z0-9])", text);
                }
            }
        }

        var elsewhere = Path.Combine(root, "elsewhere");
        var import = RigProcess.Run(root, "runs", "import", archive, "--results", elsewhere);
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("imported 2 run(s)", import.Stdout, StringComparison.Ordinal);
        var list = RigProcess.Run(root, "runs", "list", "--json", "--results", elsewhere);
        Assert.All(JsonNode.Parse(list.Stdout)!["runs"]!.AsArray(), r => Assert.Equal("imported", r!["status"]!.GetValue<string>()));

        var again = RigProcess.Run(root, "runs", "import", archive, "--results", elsewhere);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("Nothing was imported", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_run_is_named_precisely_and_never_hides_the_other_runs()
    {
        var good = Doctor("sim:blog-3x3090");
        var damaged = Doctor("sim:blog-4x3090");
        var runJson = Path.Combine(Results, damaged, "run.json");
        File.WriteAllText(runJson, File.ReadAllText(runJson).Replace("\"startedUtc\": \"", "\"startedUtc\": \"yesterday", StringComparison.Ordinal));
        var rowsCsv = Path.Combine(Results, good, "rows.csv");
        File.WriteAllText(rowsCsv, File.ReadAllText(rowsCsv)[..^10]);

        var list = Rig("runs", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(good, list.Stdout, StringComparison.Ordinal);
        Assert.Contains($"skipped: {runJson}: at $.startedUtc: wrong type: expected a date and time", list.Stdout.Replace("\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);

        var show = Rig("runs", "show", damaged);
        Assert.Equal(2, show.ExitCode);
        Assert.StartsWith($"error: {runJson}: at $.startedUtc:", show.Stderr, StringComparison.Ordinal);

        var partial = Rig("runs", "show", good);
        Assert.Equal(0, partial.ExitCode);
        Assert.Contains("dropped: rows.csv line", partial.Stdout, StringComparison.Ordinal);
        Assert.Contains("incomplete last line", partial.Stdout, StringComparison.Ordinal);
    }

    private static bool IsSpecific(string name) =>
        name.Length > 2 && name is not ("root" or "localhost" or "ubuntu" or "debian" or "runner" or "user" or "admin");
}
