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
    TimeSpan Elapsed,
    string ResultsFolder,
    string? LoadCellNote = null)
{
    public bool Succeeded => FailedCell is null;
}

/// <summary>How to run notebooks: where to write, and an optional rig that replaces the one in the parameter cell
/// (<c>var rig = "…";</c>).</summary>
/// <param name="ResultsFolder">Where the notebook's runs go (<see cref="RigKit.Results"/>); null = <c>&lt;OutputFolder&gt;/results</c>.</param>
/// <param name="LoadKitFromProcess">When the notebook's load cell (<c>#!import …/rig-notebooks.dib</c>) cannot resolve —
/// no build wrote the file, or its feed is gone — load the kit this process runs instead of failing.</param>
public sealed record NotebookRunOptions(string OutputFolder, string? Rig = null, string? ResultsFolder = null, bool LoadKitFromProcess = false);
