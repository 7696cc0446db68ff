using System.Text.Json;

namespace RigNotebooks.Cli.Tests;

/// <summary>The command's wiring; the full main job (notebooks included) is exercised by the notebook tests.</summary>
public class ReproduceCommandTests
{
    [Fact]
    public async Task Reproduce_without_notebooks_writes_the_story_runs_and_report_html_and_says_where_in_json()
    {
        var folder = Directory.CreateTempSubdirectory("rig-reproduce-cli-").FullName;
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var output = Path.Combine(folder, "out");

            var exit = await RigCli.RunAsync(["reproduce", "--out", output, "--no-notebooks", "--worker", "in-process", "--deadline", "0.5", "--json"], stdout, stderr);

            Assert.True(exit == ExitCodes.Ok, stderr.ToString());
            using var json = JsonDocument.Parse(stdout.ToString());
            var root = json.RootElement;
            Assert.Equal(Path.Combine(output, "report.html"), root.GetProperty("report").GetString());
            Assert.True(File.Exists(Path.Combine(output, "report.html")));
            Assert.Equal(10, root.GetProperty("runs").GetArrayLength());
            Assert.Equal(10, Directory.GetDirectories(Path.Combine(output, "runs")).Length);
            Assert.Equal(0, root.GetProperty("notebooks").GetArrayLength());
            Assert.Contains("asked not to", root.GetProperty("notebooksNote").GetString(), StringComparison.Ordinal);
            Assert.Contains(root.GetProperty("runs").EnumerateArray(), r => r.GetProperty("rig").GetString() == "sim:blog-3x3090-driver545");
            Assert.Contains("story 1/", stderr.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Reproduce_with_a_folder_that_has_no_story_notebook_is_a_usage_error()
    {
        var folder = Directory.CreateTempSubdirectory("rig-reproduce-cli-").FullName;
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var exit = await RigCli.RunAsync(["reproduce", "--notebooks", folder, "--out", Path.Combine(folder, "out")], stdout, stderr);
            Assert.Equal(ExitCodes.Usage, exit);
            Assert.Contains("00-reproduce-the-blog.ipynb", stderr.ToString(), StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(folder, "out")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
