using System.Text.RegularExpressions;
using RigNotebooks.Interactive.Runner;

namespace RigNotebooks.Interactive.Tests;

[Collection(SetupCheckCollection.Name)]
public class LoadCellTests
{
    private const string Import = "#!import ../artifacts/rig-notebooks.dib";

    [Fact]
    public void The_built_load_cell_resolves_and_other_cells_are_not_load_cells()
    {
        Assert.Null(LoadCell.Unresolved(Import, Repo.Path("notebooks")));
        Assert.Null(LoadCell.Unresolved("var rig = \"sim:blog-3x3090\";", Repo.Path("notebooks")));
    }

    [Fact]
    public void A_missing_dib_or_a_feed_without_its_package_is_unresolved_with_the_reason()
    {
        var folder = Repo.TempFolder("loadcell");
        try
        {
            var notebooks = Directory.CreateDirectory(Path.Combine(folder, "notebooks")).FullName;
            Assert.Contains("does not exist (build the repository once", LoadCell.Unresolved(Import, notebooks), StringComparison.Ordinal);

            var artifacts = Directory.CreateDirectory(Path.Combine(folder, "artifacts")).FullName;
            File.WriteAllText(Path.Combine(artifacts, "rig-notebooks.dib"), $"#i \"nuget: {Path.Combine(artifacts, "feed")}\"\n#r \"nuget: RigNotebooks.Interactive, 0.1.0-dev.1\"\n");
            Assert.Contains("RigNotebooks.Interactive.0.1.0-dev.1.nupkg, which does not exist", LoadCell.Unresolved(Import, notebooks), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_fallback_imports_what_the_built_load_cell_imports()
    {
        var dib = File.ReadAllText(Repo.Path("artifacts", "rig-notebooks.dib"));
        var usings = Regex.Matches(dib, @"^using ([\w.]+);", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(RigKit.Usings, usings);
        Assert.Equal(RigKit.Usings, Regex.Matches(LoadCell.FromProcess(), @"^using ([\w.]+);", RegexOptions.Multiline).Select(m => m.Groups[1].Value));
        Assert.EndsWith("RigKit.Load()", LoadCell.FromProcess(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_notebook_whose_load_cell_cannot_resolve_runs_on_the_kit_of_this_process_when_asked()
    {
        var folder = Repo.TempFolder("loadcell-run");
        try
        {
            var notebooks = Directory.CreateDirectory(Path.Combine(folder, "notebooks")).FullName;
            var path = TestNotebook.Write(notebooks, "unbuilt", ["# A clone that was never built"], Import, "var rig = \"sim:blog-3x3090\";", "Charts.Scaling(ChartData.From(Experiment.TrainScaling(RigKit.Results(), RigSelector.Open(rig)).Run))");

            var strict = await NotebookRunner.RunAsync(path, new NotebookRunOptions(Path.Combine(folder, "strict")));
            Assert.False(strict.Succeeded);
            Assert.Equal(2, strict.FailedCell);

            var fallback = await NotebookRunner.RunAsync(path, new NotebookRunOptions(Path.Combine(folder, "fallback"), LoadKitFromProcess: true));
            Assert.True(fallback.Succeeded, fallback.Error);
            Assert.Contains("does not exist", fallback.LoadCellNote, StringComparison.Ordinal);
            Assert.Equal(["Data-parallel scaling"], new ExecutedNotebook(fallback.ExecutedNotebook).Charts);
            Assert.NotEmpty(new Results.RunStore(Path.Combine(folder, "fallback", "results")).List());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
