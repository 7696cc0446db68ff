using System.Text.RegularExpressions;
using RigNotebooks.Interactive.Runner;
using RigNotebooks.Plots;
using Xunit.Abstractions;

namespace RigNotebooks.Interactive.Tests;

/// <summary>Every numbered notebook, executed by the kit's runner on the default simulated rig (inside `rig reproduce`):
/// no error, and each expected chart in its outputs.</summary>
[Collection(SetupCheckCollection.Name)]
public class StoryNotebookTests(ReproductionRun reproduction, ITestOutputHelper log)
{
    [Fact]
    public void Every_numbered_notebook_has_expectations_and_was_run()
    {
        var numbered = Reproduction.Numbered(Repo.Path("notebooks")).Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.Equal(Expectations.Charts.Keys.Order(StringComparer.Ordinal), numbered);
        Assert.Equal(numbered, reproduction.Result.Notebooks.Select(n => Path.GetFileNameWithoutExtension(n.Notebook)));
        foreach (var n in reproduction.Result.Notebooks)
        {
            log.WriteLine($"{Path.GetFileName(n.Notebook)}: {n.CellsRun} cells, {n.Charts} charts, {n.Elapsed.TotalSeconds:0.0} s");
        }

        log.WriteLine($"reproduce: {reproduction.Elapsed.TotalSeconds:0.0} s (story {reproduction.Result.StoryElapsed.TotalSeconds:0.0} s, report {reproduction.Result.ReportElapsed.TotalSeconds:0.0} s, notebooks {reproduction.Result.NotebooksElapsed.TotalSeconds:0.0} s)");
    }

    [Theory]
    [MemberData(nameof(Expectations.Notebooks), MemberType = typeof(Expectations))]
    public void The_runner_executes_the_notebook_with_no_error_and_draws_its_charts(string name)
    {
        var result = reproduction.Notebook(name);
        Assert.True(result.Succeeded, $"cell {result.FailedCell}: {result.Error}");
        Assert.Null(result.LoadCellNote);

        var executed = new ExecutedNotebook(result.ExecutedNotebook);
        Assert.Empty(executed.Errors.Select(e => e.Error));
        Assert.Equal(Expectations.Charts[name], executed.Charts);
        Assert.Equal(1, executed.PlotlyCopies);
        Assert.Contains(executed.Outputs, o => o.Html?.Contains("SIMULATED DATA", StringComparison.Ordinal) == true);

        var html = File.ReadAllText(result.HtmlCopy);
        Assert.Equal(Expectations.Charts[name].Length, Regex.Count(html, "class=\"rig-chart\""));
        Assert.DoesNotMatch(new Regex("<(script|link|img)[^>]+(src|href)=\"(https?:)?//", RegexOptions.IgnoreCase), html);
    }

    [Fact]
    public void Notebooks_write_their_runs_under_the_output_folder_never_into_the_repository()
    {
        var results = reproduction.Result.Notebooks.Select(n => n.ResultsFolder).Distinct().ToList();
        Assert.Equal([Path.Combine(reproduction.OutputFolder, "notebooks", "results")], results);
        Assert.NotEmpty(new Results.RunStore(results[0]).List());
        Assert.False(Directory.Exists(Repo.Path("notebooks", "results")), "a notebook wrote runs into the repository");
        Assert.Null(Environment.GetEnvironmentVariable(RigKit.ResultsVariable));
    }

    [Theory]
    [MemberData(nameof(Expectations.Notebooks), MemberType = typeof(Expectations))]
    public void Each_notebook_says_what_it_answers_loads_the_kit_has_one_rig_parameter_and_computes_nothing_itself(string name)
    {
        var notebook = new ExecutedNotebook(Repo.Path("notebooks", name + ".ipynb"));
        Assert.Equal("markdown", notebook.Cells[0].Type);
        Assert.Contains("answers", notebook.Cells[0].Source, StringComparison.Ordinal);
        var code = notebook.Cells.Where(c => c.Type == "code").Select(c => c.Source).ToList();
        Assert.Equal("#!import ../artifacts/rig-notebooks.dib", code[0]);
        Assert.Equal(["var rig = \"sim:blog-3x3090\";"], code.Where(c => c.Contains("var rig ", StringComparison.Ordinal)));
        Assert.All(notebook.Cells, c => Assert.Empty(c.Outputs));
        // Thin: library calls and charts; no loops, no declarations of its own, no arithmetic helpers.
        var thick = new Regex(@"\b(for|foreach|while)\s*\(|\b(class|record|struct|static)\s|\bMath\.");
        Assert.All(code, c => Assert.DoesNotMatch(thick, c));
    }

    [Fact]
    public void Report_html_has_every_chart_of_the_story_and_fetches_nothing()
    {
        var html = File.ReadAllText(reproduction.Result.ReportPath);
        var titles = Regex.Matches(html, "class=\"rig-chart\"[^>]*data-rig-chart=\"([^\"]*)\"").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(Expectations.Charts["00-reproduce-the-blog"], titles);
        Assert.Equal(titles.Count, reproduction.Result.ReportCharts);
        Assert.Equal(1, Regex.Count(html, "data-plotly-js="));
        Assert.DoesNotMatch(new Regex("<(script|link|img)[^>]+(src|href)=\"(https?:)?//", RegexOptions.IgnoreCase), html);
        Assert.Contains("hung after", html, StringComparison.Ordinal);
        Assert.Equal(reproduction.Result.Story.Runs.Count, new Results.RunStore(Path.Combine(reproduction.OutputFolder, "runs")).List().Count);
    }
}
