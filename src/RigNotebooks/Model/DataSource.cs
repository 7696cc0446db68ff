namespace RigNotebooks.Model;

/// <summary>Where a number came from. Simulated figures are never passed off as measured.</summary>
public enum DataSource
{
    Measured,
    Simulated,
    Imported,
}
