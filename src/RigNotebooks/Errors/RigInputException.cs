namespace RigNotebooks.Errors;

/// <summary>Bad input from the user: a malformed profile, an unknown rig, an impossible option.
/// The CLI maps it to exit code 2. The message names the problem and the fix.</summary>
public class RigInputException : Exception
{
    public RigInputException(string message)
        : base(message)
    {
    }

    public RigInputException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public RigInputException()
    {
    }
}
