namespace RigNotebooks.Doctor;

/// <summary>Something the kit concluded about a rig or a run: what, how bad, the evidence, and what to do.</summary>
/// <param name="Code">A stable identifier such as <c>p2p-known-bad-driver</c>, for tests and for comparing runs.</param>
/// <remarks>One constructor only (Sources optional), so a finding stored in run.json reads back: System.Text.Json
/// refuses a type with two public constructors and none marked for it.</remarks>
public sealed record Finding(
    string Code,
    Severity Severity,
    string Title,
    string Evidence,
    string Remedy,
    IReadOnlyList<string>? Sources = null)
{
    /// <summary>Where the finding's facts come from (REFERENCE.md sections, issue threads); may be empty.</summary>
    public IReadOnlyList<string> Sources { get; init; } = Sources ?? [];
}
