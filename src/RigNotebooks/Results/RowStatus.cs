namespace RigNotebooks.Results;

/// <summary>The state of one measured point.</summary>
public enum RowStatus
{
    /// <summary>Measured (or simulated) and valid.</summary>
    Ok,

    /// <summary>Could not run here; the note says why (no peer access, not root, sensor unsupported).</summary>
    Waived,

    /// <summary>Did not finish before its deadline; the watchdog killed it.</summary>
    Hung,

    /// <summary>Ran and failed (crash, error code).</summary>
    Failed,

    /// <summary>Ran, but the data check found wrong bytes.</summary>
    Wrong,
}
