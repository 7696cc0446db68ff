namespace RigNotebooks.Bandwidth.Execution;

/// <summary>Where work items run.</summary>
public enum WorkerMode
{
    /// <summary>A child process when a worker command is found and the rig can be reopened by name; otherwise
    /// in-process for a simulated rig, and for a real rig only the items that need no watchdog.</summary>
    Auto,

    /// <summary>Always a child process (fails when no worker command is found).</summary>
    ChildProcess,

    /// <summary>On a thread of this process: simulated rigs only for watched items.</summary>
    InProcess,
}

/// <summary>How the suite runner executes and watches items.</summary>
/// <param name="DeadlineSeconds">Per item; null = <see cref="Deadlines.For"/> the rig's source.</param>
/// <param name="Worker">The worker command; null = <see cref="WorkerLocator.Locate"/>.</param>
public sealed record SuiteRunOptions(
    WorkerMode Mode = WorkerMode.Auto,
    double? DeadlineSeconds = null,
    double StartupSeconds = Deadlines.StartupSeconds,
    WorkerCommand? Worker = null)
{
    public static SuiteRunOptions Default { get; } = new();
}
