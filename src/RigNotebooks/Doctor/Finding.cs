namespace RigNotebooks.Doctor;

/// <summary>Something the kit concluded about a rig or a run: what, how bad, the evidence, and what to do.</summary>
/// <param name="Code">A stable identifier such as <c>p2p-known-bad-driver</c>, for tests and for comparing runs.</param>
public sealed record Finding(
    string Code,
    Severity Severity,
    string Title,
    string Evidence,
    string Remedy,
    IReadOnlyList<string> Sources)
{
    public Finding(string code, Severity severity, string title, string evidence, string remedy)
        : this(code, severity, title, evidence, remedy, [])
    {
    }
}
