namespace RigNotebooks.Results;

/// <summary>A run read back from its folder: metadata, the rows that could be read, and what was dropped and why.</summary>
public sealed record LoadedRun(string Folder, RunRecord Record, IReadOnlyList<ResultRow> Rows, IReadOnlyList<string> Dropped)
{
    public string Id => Record.Id;
}
