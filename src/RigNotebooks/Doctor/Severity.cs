namespace RigNotebooks.Doctor;

public enum Severity
{
    Hint,
    Warning,
    Error,
}
