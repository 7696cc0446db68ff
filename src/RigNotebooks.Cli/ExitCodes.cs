using RigNotebooks.Doctor;

namespace RigNotebooks.Cli;

/// <summary>The exit codes of every `rig` command.</summary>
public static class ExitCodes
{
    /// <summary>Ran, and found nothing at error level.</summary>
    public const int Ok = 0;

    /// <summary>Ran, and found an error-level finding, or a test failed.</summary>
    public const int Findings = 1;

    /// <summary>Usage or input error: a bad option, profile or file.</summary>
    public const int Usage = 2;

    /// <summary>The environment lacks something: no driver, no permission.</summary>
    public const int Environment = 3;

    /// <summary>Stopped by Ctrl-C or a termination signal (128 + SIGINT), after cleaning up.</summary>
    public const int Cancelled = 130;

    /// <summary><see cref="Findings"/> when any finding is at error level, else <see cref="Ok"/>.</summary>
    public static int For(IEnumerable<Finding> findings) => findings.Any(f => f.Severity == Severity.Error) ? Findings : Ok;
}
