using System.Text.RegularExpressions;
using RigNotebooks.Interactive.Runner;
using Xunit.Abstractions;

namespace RigNotebooks.Interactive.Tests;

[Collection(SetupCheckCollection.Name)]
public class NotebookRunnerTests(SetupCheckRun run, ITestOutputHelper log)
{
    [Fact]
    public void The_setup_check_notebook_runs_without_error_and_draws_its_chart()
    {
        var result = run.Result;
        log.WriteLine($"runner: {result.CellsRun} cells in {result.Elapsed.TotalSeconds:0.0} s");
        Assert.True(result.Succeeded, $"cell {result.FailedCell}: {result.Error}");
        Assert.Equal(result.Cells, new ExecutedNotebook(result.ExecutedNotebook).Cells.Count);

        var executed = new ExecutedNotebook(result.ExecutedNotebook);
        Assert.Empty(executed.Errors);
        Assert.Equal(["Chart self-test"], executed.Charts);
        Assert.Equal(1, executed.PlotlyCopies);
        Assert.Contains(executed.Outputs, o => o.Html?.Contains("Topology of sim:blog-3x3090", StringComparison.Ordinal) == true);
        Assert.Contains(executed.Outputs, o => o.Html?.Contains("class=\"findings\"", StringComparison.Ordinal) == true);
        // The live progress display was updated in place: one output, in its final state.
        var progress = executed.Outputs.Where(o => o.Html?.Contains("rig-progress", StringComparison.Ordinal) == true).ToList();
        Assert.Single(progress);
        Assert.Contains("done: all five steps ran", progress[0].Html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_offline_html_copy_inlines_plotly_once_and_fetches_nothing()
    {
        var html = File.ReadAllText(run.Result.HtmlCopy);
        Assert.Equal(1, Regex.Count(html, "data-plotly-js="));
        Assert.Equal(1, Regex.Count(html, "class=\"rig-chart\""));
        Assert.DoesNotMatch(new Regex("<(script|link|img)[^>]+(src|href)=\"(https?:)?//", RegexOptions.IgnoreCase), html);
        Assert.Contains("<h1>Check your setup</h1>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_notebook_in_the_same_process_carries_its_own_copy_of_plotly_js()
    {
        var folder = Repo.TempFolder("second");
        try
        {
            var again = await NotebookRunner.RunAsync(Repo.Path("notebooks", "setup-check.ipynb"), new NotebookRunOptions(folder));
            Assert.True(again.Succeeded, again.Error);
            Assert.Equal(1, new ExecutedNotebook(again.ExecutedNotebook).PlotlyCopies);
            Assert.Equal(1, new ExecutedNotebook(run.Result.ExecutedNotebook).PlotlyCopies);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_failing_cell_stops_the_run_and_is_reported_with_its_error()
    {
        var folder = Repo.TempFolder("failing");
        try
        {
            var path = TestNotebook.Write(folder, "failing", ["# A notebook that fails"], "var x = 1;", "throw new InvalidOperationException(\"boom in the third cell\");", "Console.WriteLine(\"never\");");
            var result = await NotebookRunner.RunAsync(path, new NotebookRunOptions(Path.Combine(folder, "out")));

            Assert.False(result.Succeeded);
            Assert.Equal(3, result.FailedCell);
            Assert.Contains("boom in the third cell", result.Error, StringComparison.Ordinal);
            Assert.Equal(2, result.CellsRun);
            var executed = new ExecutedNotebook(result.ExecutedNotebook);
            Assert.Contains(executed.Cells[2].Outputs, o => o.Type == "error" && o.Error!.Contains("boom", StringComparison.Ordinal));
            Assert.Empty(executed.Cells[3].Outputs);
            Assert.Contains("stopped at cell 3", File.ReadAllText(result.HtmlCopy), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_rig_option_replaces_the_rig_in_the_parameter_cell()
    {
        var folder = Repo.TempFolder("parameter");
        try
        {
            var path = TestNotebook.Write(folder, "parameter", [], "var rig = \"sim:blog-3x3090\";", "Console.WriteLine($\"rig is {rig}\");");
            var result = await NotebookRunner.RunAsync(path, new NotebookRunOptions(folder, Rig: "sim:blog-4x3090"));

            Assert.True(result.Succeeded, result.Error);
            var executed = new ExecutedNotebook(result.ExecutedNotebook);
            Assert.Equal("var rig = \"sim:blog-4x3090\";", executed.Cells[0].Source);
            Assert.Contains(executed.Outputs, o => o.Plain?.Contains("rig is sim:blog-4x3090", StringComparison.Ordinal) == true);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
