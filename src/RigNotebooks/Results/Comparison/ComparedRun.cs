using RigNotebooks.Model;

namespace RigNotebooks.Results.Comparison;

/// <summary>One run in a comparison; index 0 is the baseline that deltas are taken against.</summary>
/// <param name="Label">A short name for tables and chart legends (its tags, else its rig), unique within the comparison.</param>
/// <param name="Dropped">Rows of this run that could not be read (a truncated last line), so are missing here.</param>
public sealed record ComparedRun(
    int Index,
    string Id,
    string Label,
    string Experiment,
    string RigId,
    DataSource Source,
    RunStatus Status,
    DateTimeOffset StartedUtc,
    int RowCount,
    IReadOnlyList<RunNote> Notes,
    IReadOnlyList<string> Tags,
    RunProvenance? Provenance,
    IReadOnlyList<string> Dropped);
