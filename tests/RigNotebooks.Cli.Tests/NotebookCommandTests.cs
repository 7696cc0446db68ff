using System.Text.Json.Nodes;

namespace RigNotebooks.Cli.Tests;

public class NotebookCommandTests
{
    [Fact]
    public async Task Notebook_run_stops_at_the_first_failing_cell_with_exit_1_and_the_cells_error()
    {
        var folder = Directory.CreateTempSubdirectory("rig-notebook-cli-").FullName;
        try
        {
            var path = Path.Combine(folder, "fails.ipynb");
            File.WriteAllText(path, Notebook("var x = 41;", "throw new InvalidOperationException($\"boom {x + 1}\");", "Console.WriteLine(\"never\");"));
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();

            var exit = await RigCli.RunAsync(["notebook", "run", path, "--out", Path.Combine(folder, "out")], stdout, stderr);

            Assert.Equal(ExitCodes.Findings, exit);
            Assert.Contains("cell 2", stderr.ToString(), StringComparison.Ordinal);
            Assert.Contains("boom 42", stderr.ToString(), StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(folder, "out", "fails.ipynb")));
            Assert.True(File.Exists(Path.Combine(folder, "out", "fails.html")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Notebook_run_of_a_missing_file_is_a_usage_error()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await RigCli.RunAsync(["notebook", "run", "no-such-notebook.ipynb"], stdout, stderr);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("no-such-notebook.ipynb", stderr.ToString(), StringComparison.Ordinal);
    }

    private static string Notebook(params string[] code)
    {
        var cells = new JsonArray();
        foreach (var c in code)
        {
            cells.Add(new JsonObject { ["cell_type"] = "code", ["execution_count"] = null, ["metadata"] = new JsonObject(), ["outputs"] = new JsonArray(), ["source"] = c });
        }

        return new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" } },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        }.ToJsonString();
    }
}
