using RigNotebooks.Errors;

namespace RigNotebooks.Hardware;

/// <summary>A reading from the hardware, or the reason there is none ("nvmlDeviceGetSerial: Not Supported").
/// Experiments turn a missing reading into a waived row or an <see cref="Model.UnknownFact"/>, never a made-up value.</summary>
public readonly record struct Readout<T>(bool HasValue, T Value, string WhyNot)
{
    public static Readout<T> Of(T value) => new(true, value, string.Empty);

    public static Readout<T> Unavailable(string whyNot) => new(false, default!, whyNot);

    public T ValueOr(T fallback) => HasValue ? Value : fallback;

    public override string ToString() => HasValue ? $"{Value}" : $"unavailable: {WhyNot}";
}

public static class Readout
{
    /// <summary>Runs one native query; a <see cref="GpuLibraryException"/> becomes an unavailable reading with its short reason.
    /// Other exceptions (bugs, a disposed session) still throw.</summary>
    public static Readout<T> Try<T>(Func<T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return Readout<T>.Of(read());
        }
        catch (GpuLibraryException ex)
        {
            return Readout<T>.Unavailable(ex.ShortReason);
        }
    }
}
