using RigNotebooks.Interactive.Runner;

namespace RigNotebooks.Interactive.Tests;

/// <summary>notebooks/setup-check.ipynb run once by the kit's runner; several tests read what it wrote.</summary>
public sealed class SetupCheckRun : IAsyncLifetime
{
    public string OutputFolder { get; } = Repo.TempFolder("setup-check");

    public NotebookRunResult Result { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Result = await NotebookRunner.RunAsync(Repo.Path("notebooks", "setup-check.ipynb"), new NotebookRunOptions(OutputFolder));

    public Task DisposeAsync()
    {
        Directory.Delete(OutputFolder, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>Everything that runs notebooks in this process, one collection so they run one after another: the runner
/// changes the working directory and its results variable for the whole process, and plotly.js bookkeeping is per process.</summary>
[CollectionDefinition(Name)]
public sealed class SetupCheckCollection : ICollectionFixture<SetupCheckRun>, ICollectionFixture<ReproductionRun>
{
    public const string Name = "notebooks run by the kit's runner";
}
