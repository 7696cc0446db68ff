namespace RigNotebooks.Results;

public enum RunStatus
{
    /// <summary>The writing process is still alive.</summary>
    Running,

    Completed,

    Failed,

    Cancelled,

    /// <summary>The writing process died without closing the run; what it measured is still there.</summary>
    Aborted,

    /// <summary>Brought in from an exported archive.</summary>
    Imported,
}
