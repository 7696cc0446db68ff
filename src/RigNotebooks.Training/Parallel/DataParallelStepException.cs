namespace RigNotebooks.Training.Parallel;

/// <summary>A data-parallel step that failed: the root cause (the first replica's own error, not the aborts it caused
/// on the others), and which replicas were stopped.</summary>
public sealed class DataParallelStepException : Exception
{
    public DataParallelStepException()
    {
    }

    public DataParallelStepException(string message)
        : base(message)
    {
    }

    public DataParallelStepException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public DataParallelStepException(string what, long step, int failedRank, int replicas, Exception rootCause)
        : base($"{what} failed on replica {failedRank}: {rootCause.Message}. It was stopped on all {replicas} replicas; the trainer cannot continue (start again from a checkpoint).", rootCause)
    {
        Step = step;
        FailedRank = failedRank;
    }

    public long Step { get; }

    public int FailedRank { get; }
}
