using RigNotebooks.Doctor;
using RigNotebooks.Results;

namespace RigNotebooks.Experiments;

/// <summary>What one experiment left behind: its run as read back from the store (what charts draw), its findings
/// and what the watchdog did. The notebooks, <c>rig reproduce</c> and the commands all get this from <see cref="Experiment"/>.</summary>
public record ExperimentResult(LoadedRun Run, IReadOnlyList<Finding> Findings, IReadOnlyList<string> Watchdog)
{
    public string RunId => Run.Id;

    /// <summary>The worst finding's severity, or null when there is none.</summary>
    public Severity? Worst => Findings.Count == 0 ? null : Findings.Max(f => f.Severity);

    public bool HasErrors => Findings.Any(f => f.Severity == Severity.Error);
}

/// <summary>An experiment's result with its own report (matrices, scaling points, cost figures, …).</summary>
public sealed record ExperimentResult<TReport>(LoadedRun Run, TReport Report, IReadOnlyList<Finding> Findings, IReadOnlyList<string> Watchdog)
    : ExperimentResult(Run, Findings, Watchdog);
