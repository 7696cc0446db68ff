using RigNotebooks.Interactive.Runner;

namespace RigNotebooks.Interactive.Tests;

/// <summary>`rig reproduce` once, in this process, on the default simulated rig: the story's runs, report.html, and every
/// numbered notebook executed by the kit's runner. The notebook, report and browser tests read what it wrote.</summary>
public sealed class ReproductionRun : IAsyncLifetime
{
    public string OutputFolder { get; } = Repo.TempFolder("reproduce");

    public ReproductionResult Result { get; private set; } = null!;

    public TimeSpan Elapsed { get; private set; }

    public async Task InitializeAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Result = await Reproduction.RunAsync(new ReproductionOptions(OutputFolder, NotebooksFolder: Repo.Path("notebooks")));
        Elapsed = clock.Elapsed;
    }

    public NotebookRunResult Notebook(string name) =>
        Result.Notebooks.SingleOrDefault(n => Path.GetFileNameWithoutExtension(n.Notebook) == name)
        ?? throw new InvalidOperationException($"{name} was not run: {string.Join(", ", Result.Notebooks.Select(n => $"{Path.GetFileName(n.Notebook)} {(n.Succeeded ? "ok" : $"failed at cell {n.FailedCell}: {n.Error}")}"))}");

    public Task DisposeAsync()
    {
        Directory.Delete(OutputFolder, recursive: true);
        return Task.CompletedTask;
    }
}
