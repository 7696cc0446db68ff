using System.Threading.Channels;

namespace RigNotebooks.Bandwidth.Execution;

/// <summary>A running worker: its messages as they arrive, a way to kill it, and how it ended.</summary>
internal interface IWorkerSession : IDisposable
{
    /// <summary>Completes when the worker's output ends (it finished, crashed or was killed).</summary>
    ChannelReader<WorkerMessage> Messages { get; }

    /// <summary>Completes when the worker has ended.</summary>
    Task<WorkerExit> Exit { get; }

    /// <summary>"pid 1234" or "in-process".</summary>
    string Name { get; }

    void Kill();
}

/// <summary>How a worker ended: its exit code (null in-process or when unknown), and the tail of what it wrote to stderr.</summary>
public sealed record WorkerExit(int? ExitCode, string StderrTail);
