namespace RigNotebooks.Training.Collectives;

/// <summary>A collective call that could not complete.</summary>
public class CollectiveException : Exception
{
    public CollectiveException()
    {
    }

    public CollectiveException(string message)
        : base(message)
    {
    }

    public CollectiveException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>The communicator was aborted (by <see cref="ICollective.Abort"/>): the inner exception is the reason.</summary>
public sealed class CollectiveAbortedException : CollectiveException
{
    public CollectiveAbortedException()
    {
    }

    public CollectiveAbortedException(string message)
        : base(message)
    {
    }

    public CollectiveAbortedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public CollectiveAbortedException(string message, int abortingRank, Exception reason)
        : base(message, reason)
    {
        AbortingRank = abortingRank;
    }

    /// <summary>The rank that called Abort, when known.</summary>
    public int? AbortingRank { get; }
}

/// <summary>A rank waited longer than the watchdog allows for the others (a hung or dead rank).</summary>
public sealed class CollectiveTimeoutException : CollectiveException
{
    public CollectiveTimeoutException()
    {
    }

    public CollectiveTimeoutException(string message)
        : base(message)
    {
    }

    public CollectiveTimeoutException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
