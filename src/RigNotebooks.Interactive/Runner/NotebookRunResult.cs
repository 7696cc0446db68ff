namespace RigNotebooks.Interactive.Runner;

/// <summary>What running one notebook produced: where the executed notebook and its offline HTML copy are, and, when a
/// cell failed, which one (1-based, counting all cells) and its error.</summary>
public sealed record NotebookRunResult(
    string Notebook,
    string ExecutedNotebook,
    string HtmlCopy,
    int Cells,
    int CellsRun,
    int Charts,
    int? FailedCell,
    string? Error,
    TimeSpan Elapsed)
{
    public bool Succeeded => FailedCell is null;
}

/// <summary>How to run notebooks: where to write, and an optional rig that replaces the one in the parameter cell
/// (<c>var rig = "…";</c>).</summary>
public sealed record NotebookRunOptions(string OutputFolder, string? Rig = null);
