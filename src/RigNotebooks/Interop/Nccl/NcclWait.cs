using RigNotebooks.Errors;

namespace RigNotebooks.Interop.Nccl;

/// <summary>How a wait on an NCCL operation ended.</summary>
public enum NcclWaitOutcome
{
    /// <summary>NCCL reports no error and the stream (when given) has finished the work.</summary>
    Completed,

    /// <summary><c>ncclCommGetAsyncError</c> reported an error (a peer failed, a network or CUDA error).</summary>
    Failed,

    /// <summary>Still in progress at the deadline: a hung collective (a rank that never arrived, broken P2P).</summary>
    TimedOut,

    /// <summary>The caller's token was cancelled while waiting (another rank aborted the group).</summary>
    Cancelled,
}

/// <summary>The end of a wait: the outcome, NCCL's last asynchronous state, the time waited, and for a failure the
/// exception NCCL's error maps to (with <c>ncclGetErrorString</c>'s text).</summary>
public sealed record NcclWaitResult(NcclWaitOutcome Outcome, NcclResult AsyncState, TimeSpan Waited, GpuLibraryException? Error = null)
{
    public bool Completed => Outcome == NcclWaitOutcome.Completed;
}
