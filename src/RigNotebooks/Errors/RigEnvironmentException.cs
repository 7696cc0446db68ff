namespace RigNotebooks.Errors;

/// <summary>Something the kit needs is missing from this machine: a driver library, a permission.
/// The CLI maps it to exit code 3. The message says what is missing and what to install or run.</summary>
public class RigEnvironmentException : Exception
{
    public RigEnvironmentException(string message)
        : base(message)
    {
    }

    public RigEnvironmentException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public RigEnvironmentException()
    {
    }
}
