using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace RigNotebooks.Interactive.Tests;

/// <summary>
/// Every numbered notebook in dotnet repl 0.3.259, in ONE repl process: dotnet repl runs one notebook per process, and
/// each process costs a kernel start and the kit's first load (about 6 s of a 2-core machine's time per notebook), so
/// the notebooks' cells are run back to back as one notebook, in order, and each notebook's outputs are read from its
/// own cells. What this host adds over the kit's runner (which runs each notebook in a fresh kernel) is the host:
/// FSharp.Core 10.0, its own #!import and formatting. Each notebook's load cell and parameter cell run as written.
/// </summary>
public sealed class ReplBatch : IDisposable
{
    public ReplBatch()
    {
        var restore = External.Run("dotnet", ["tool", "restore"], Repo.Root, TimeSpan.FromMinutes(3));
        if (restore.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet tool restore failed:\n{restore.Output}");
        }

        var combined = new JsonArray();
        JsonNode? metadata = null;
        foreach (var name in Expectations.Charts.Keys.Order(StringComparer.Ordinal))
        {
            var notebook = JsonNode.Parse(File.ReadAllText(Repo.Path("notebooks", name + ".ipynb")))!;
            metadata ??= notebook["metadata"]!.DeepClone();
            var cells = notebook["cells"]!.AsArray();
            Ranges[name] = (combined.Count, cells.Count);
            foreach (var cell in cells)
            {
                combined.Add(cell!.DeepClone());
            }
        }

        var input = Path.Combine(Folder, "numbered-notebooks.ipynb");
        File.WriteAllText(input, new JsonObject { ["cells"] = combined, ["metadata"] = metadata, ["nbformat"] = 4, ["nbformat_minor"] = 5 }.ToJsonString());
        var output = Path.Combine(Folder, "executed.ipynb");
        var notebooks = Repo.Path("notebooks");
        Run = External.Run("dotnet",
            ["repl", "--run", input, "--exit-after-run", "--output-path", output, "--working-dir", notebooks],
            notebooks, TimeSpan.FromMinutes(10), new Dictionary<string, string> { [RigKit.ResultsVariable] = ResultsFolder });
        Executed = File.Exists(output) ? new ExecutedNotebook(output) : null;
    }

    public string Folder { get; } = Repo.TempFolder("repl-batch");

    public string ResultsFolder => Path.Combine(Folder, "results");

    public Dictionary<string, (int First, int Count)> Ranges { get; } = [];

    public (int ExitCode, string Output, TimeSpan Elapsed) Run { get; }

    public ExecutedNotebook? Executed { get; }

    /// <summary>The cells of one notebook as dotnet repl executed them.</summary>
    public IReadOnlyList<ExecutedNotebook.Cell> Cells(string name)
    {
        var (first, count) = Ranges[name];
        return Executed!.Cells.Skip(first).Take(count).ToList();
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

public class ReplBatchTests(ReplBatch batch, ITestOutputHelper log) : IClassFixture<ReplBatch>
{
    [Fact]
    public void Dotnet_repl_ran_every_numbered_notebook_to_the_end()
    {
        log.WriteLine($"dotnet repl, {batch.Ranges.Count} notebooks in one process: exit {batch.Run.ExitCode} in {batch.Run.Elapsed.TotalSeconds:0.0} s");
        Assert.True(batch.Run.ExitCode == 0, batch.Run.Output);
        Assert.NotNull(batch.Executed);
        Assert.Equal(batch.Ranges.Values.Sum(r => r.Count), batch.Executed!.Cells.Count);
        Assert.NotEmpty(new Results.RunStore(batch.ResultsFolder).List());
    }

    [Theory]
    [MemberData(nameof(Expectations.Notebooks), MemberType = typeof(Expectations))]
    public void Dotnet_repl_runs_the_notebook_with_no_errors_and_its_charts(string name)
    {
        Assert.NotNull(batch.Executed);
        var cells = batch.Cells(name);
        var outputs = cells.SelectMany(c => c.Outputs).ToList();
        Assert.Empty(outputs.Where(o => o.Type == "error").Select(o => o.Error));
        var charts = outputs.Where(o => o.Html is not null)
            .SelectMany(o => System.Text.RegularExpressions.Regex.Matches(o.Html!, "class=\"rig-chart\"[^>]*data-rig-chart=\"([^\"]*)\"").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)));
        Assert.Equal(Expectations.Charts[name], charts);
        // Every code cell ran: the load cell shows the kit, and no code cell was left without being executed.
        Assert.Contains(cells[1].Outputs, o => o.Html?.Contains("RigNotebooks", StringComparison.Ordinal) == true);
    }
}
