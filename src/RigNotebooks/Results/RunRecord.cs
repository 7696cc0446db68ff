using System.Text.Json.Nodes;
using RigNotebooks.Doctor;
using RigNotebooks.Model;

namespace RigNotebooks.Results;

/// <summary>The metadata of a run (run.json): what was asked, on what, by which software, and how it ended.</summary>
public sealed record RunRecord
{
    public required string Id { get; init; }

    public required string Experiment { get; init; }

    /// <summary>The experiment's spec as given (options, sizes, caps): enough to run it again.</summary>
    public required JsonObject Spec { get; init; }

    public required RigFingerprint Rig { get; init; }

    public required IReadOnlyDictionary<string, string> Software { get; init; }

    public required DataSource Source { get; init; }

    public required RunStatus Status { get; init; }

    public required DateTimeOffset StartedUtc { get; init; }

    public DateTimeOffset? EndedUtc { get; init; }

    /// <summary>Headline figures of the run, by name (e.g. "recommendedCapW": "285").</summary>
    public IReadOnlyDictionary<string, string> Summary { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<Finding> Findings { get; init; } = [];

    public IReadOnlyList<RunNote> Notes { get; init; } = [];

    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? Error { get; init; }

    /// <summary>The process that writes the run, so a reader can tell a live run from one whose writer died.</summary>
    public int? WriterPid { get; init; }

    public DateTimeOffset? WriterStartedUtc { get; init; }

    public string? WriterHost { get; init; }

    /// <summary>Set when the run was imported from an archive (<see cref="RunStatus.Imported"/>); null for runs made here.</summary>
    public RunProvenance? Provenance { get; init; }
}

public sealed record RunNote(DateTimeOffset TimeUtc, string Text);
