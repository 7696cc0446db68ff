using RigNotebooks.Results;

namespace RigNotebooks.ExternalTraining;

/// <summary>How a run of the user's command ended.</summary>
public enum ExternalRunOutcome
{
    /// <summary>Exited 0 and reported throughput.</summary>
    Ok,

    /// <summary>Exited with a non-zero code (or could not start).</summary>
    Failed,

    /// <summary>Printed nothing for the silence timeout, or ran past the run timeout: killed.</summary>
    Hung,

    /// <summary>Exited 0 but no line matched the throughput regex.</summary>
    NoThroughput,
}

/// <param name="Throughput">The median of the reported values after the warm-up ones (null when none).</param>
/// <param name="LastLines">The output's last lines, for the finding's evidence.</param>
public sealed record ExternalRunResult(
    ExternalRunCase Case,
    IReadOnlyList<string> Command,
    ExternalRunOutcome Outcome,
    int? ExitCode,
    double? Throughput,
    string? ThroughputUnit,
    IReadOnlyList<double> Samples,
    TimeSpan Duration,
    string LogPath,
    string Note,
    IReadOnlyList<string> LastLines)
{
    public RowStatus RowStatus => Outcome switch
    {
        ExternalRunOutcome.Ok => RowStatus.Ok,
        ExternalRunOutcome.Hung => RowStatus.Hung,
        _ => RowStatus.Failed,
    };
}
