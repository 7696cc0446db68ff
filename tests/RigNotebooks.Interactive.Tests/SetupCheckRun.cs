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

[CollectionDefinition(Name)]
public sealed class SetupCheckCollection : ICollectionFixture<SetupCheckRun>
{
    public const string Name = "setup-check run by the kit's runner";
}
