using Xunit.Abstractions;

namespace RigNotebooks.Interactive.Tests;

/// <summary>The same notebook in another host: dotnet repl 0.3.259 (from the repository's tool manifest, restored here),
/// which ships FSharp.Core 10.0 and runs the load cell exactly as VS Code and Jupyter do.</summary>
public class ReplTests(ITestOutputHelper log)
{
    [Fact]
    public void Dotnet_repl_runs_the_setup_check_notebook_with_no_errors_and_its_chart()
    {
        var restore = External.Run("dotnet", ["tool", "restore"], Repo.Root, TimeSpan.FromMinutes(3));
        Assert.True(restore.ExitCode == 0, restore.Output);

        var folder = Repo.TempFolder("repl");
        try
        {
            var output = Path.Combine(folder, "setup-check.ipynb");
            var notebooks = Repo.Path("notebooks");
            var run = External.Run("dotnet",
                ["repl", "--run", Path.Combine(notebooks, "setup-check.ipynb"), "--exit-after-run", "--output-path", output, "--working-dir", notebooks],
                notebooks, TimeSpan.FromMinutes(5));
            log.WriteLine($"dotnet repl: exit {run.ExitCode} in {run.Elapsed.TotalSeconds:0.0} s");
            Assert.True(run.ExitCode == 0, run.Output);

            var executed = new ExecutedNotebook(output);
            Assert.Empty(executed.Errors.Select(e => e.Error));
            Assert.Contains("Chart self-test", executed.Charts);
            Assert.True(executed.PlotlyCopies >= 1, "plotly.js is missing from the load cell's output");
            Assert.Contains(executed.Outputs, o => o.Html?.Contains("Topology of sim:blog-3x3090", StringComparison.Ordinal) == true);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_control_plain_Plotly_NET_6_cannot_load_in_dotnet_repl()
    {
        // Why the chart engine has its own load context: the host's FSharp.Core is 10.0, Plotly.NET 6 wants 10.1.
        var restore = External.Run("dotnet", ["tool", "restore"], Repo.Root, TimeSpan.FromMinutes(3));
        Assert.True(restore.ExitCode == 0, restore.Output);
        var folder = Repo.TempFolder("repl-plain");
        try
        {
            var notebook = TestNotebook.Write(folder, "plain", [], "#r \"nuget: Plotly.NET, 6.0.0\"", "Plotly.NET.GenericChart.toChartHTML(Plotly.NET.Chart.Invisible()).Length");
            var output = Path.Combine(folder, "out.ipynb");
            var run = External.Run("dotnet", ["repl", "--run", notebook, "--exit-after-run", "--output-path", output], Repo.Root, TimeSpan.FromMinutes(5));
            log.WriteLine($"dotnet repl (plain Plotly.NET): exit {run.ExitCode} in {run.Elapsed.TotalSeconds:0.0} s");
            var errors = new ExecutedNotebook(output).Errors.Select(e => e.Error!).ToList();
            Assert.Contains(errors, e => e.Contains("FSharp.Core, Version=10.1.0.0", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
