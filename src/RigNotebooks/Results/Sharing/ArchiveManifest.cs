namespace RigNotebooks.Results.Sharing;

/// <summary>manifest.json at the root of an exported archive: what it holds and how it was made.</summary>
public sealed record ArchiveManifest
{
    public const string FormatName = "rignotebooks-runs";
    public const int CurrentVersion = 1;

    /// <summary>Always <see cref="FormatName"/>: tells this archive from any other zip.</summary>
    public required string Format { get; init; }

    public required int Version { get; init; }

    public required string ExportedWith { get; init; }

    public required DateTimeOffset ExportedUtc { get; init; }

    /// <summary>True when identifiers were replaced by aliases (<see cref="Aliases"/> lists the aliases, never the originals).</summary>
    public required bool Anonymized { get; init; }

    public required IReadOnlyList<ArchiveRun> Runs { get; init; }

    public IReadOnlyList<IdentifierAlias> Aliases { get; init; } = [];
}

/// <summary>One run in an archive: its folder is <c>runs/&lt;Id&gt;/</c> with run.json, rows.csv and summary.html.</summary>
/// <param name="Omitted">Lines of the run's rows.csv that could not be read when it was exported (anonymised exports
/// leave them out, since a damaged line cannot be checked for identifiers).</param>
public sealed record ArchiveRun(string Id, string Experiment, int Rows, int Omitted);
