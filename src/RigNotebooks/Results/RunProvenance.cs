namespace RigNotebooks.Results;

/// <summary>Where a run came from when it was not made here: brought in from an exported archive.</summary>
/// <param name="Archive">The archive's file name (no folder, so no path of the importer's machine is stored).</param>
/// <param name="OriginalStatus">How the run had ended where it was made (completed, aborted, …).</param>
/// <param name="Anonymized">True when the exporter replaced GPU UUIDs, serials, hostnames and user names by aliases.</param>
/// <param name="ExportedWith">The kit version that wrote the archive.</param>
public sealed record RunProvenance(
    DateTimeOffset ImportedUtc,
    string Archive,
    RunStatus OriginalStatus,
    bool Anonymized,
    DateTimeOffset? ExportedUtc,
    string? ExportedWith);
