using RigNotebooks.Doctor;
using RigNotebooks.Results;

namespace RigNotebooks.Experiments;

/// <summary>
/// Every experiment as one call that writes a run into a <see cref="RunStore"/> and returns it read back, with its
/// findings: the same calls behind the commands, the notebooks and <c>rig reproduce</c>, so none of them computes
/// anything of its own. Each lives in its own file (<c>Experiment.Doctor.cs</c>, …).
/// </summary>
public static partial class Experiment
{
    private static IReadOnlyList<Finding> Ordered(IEnumerable<Finding> findings) =>
        [.. findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Code, StringComparer.Ordinal)];

    private static string Worst(IReadOnlyList<Finding> findings) =>
        findings.Count == 0 ? "none" : findings.Max(f => f.Severity).ToString().ToLowerInvariant();
}
