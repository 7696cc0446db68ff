namespace RigNotebooks.Results.Sharing;

/// <param name="Anonymize">Replace GPU UUIDs and serials, hostnames and user names by aliases (see <see cref="Anonymizer"/>).</param>
/// <param name="Overwrite">Replace an existing file at the output path instead of refusing.</param>
/// <param name="Anonymizer">The anonymiser to use (tests give one that knows extra identifiers); by default one that
/// knows this machine's name and user.</param>
public sealed record ExportOptions(bool Anonymize = false, bool Overwrite = false, Anonymizer? Anonymizer = null);

/// <summary>What an export wrote.</summary>
public sealed record ExportResult(string Archive, IReadOnlyList<ArchiveRun> Runs, bool Anonymized, IReadOnlyList<IdentifierAlias> Aliases, long Bytes);

/// <summary>What an import brought in: the runs now in the store, and per run the lines of rows.csv that could not be read.</summary>
public sealed record ImportResult(string Archive, IReadOnlyList<ImportedRun> Runs, bool Anonymized);

public sealed record ImportedRun(string Id, string Experiment, int Rows, IReadOnlyList<string> Dropped);
