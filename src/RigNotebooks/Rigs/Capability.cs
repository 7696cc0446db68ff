namespace RigNotebooks.Rigs;

/// <summary>Either a capability or the reason a rig cannot offer it ("no NCCL: libnccl.so.2 not found").</summary>
public readonly record struct Capability<T>(T? Value, string? WhyNot)
    where T : class
{
    public bool IsAvailable => Value is not null;

    public static Capability<T> Of(T value) => new(value, null);

    public static Capability<T> Unavailable(string whyNot) => new(null, whyNot);

    /// <summary>The capability, or a <see cref="CapabilityUnavailableException"/> carrying the reason.</summary>
    public T Require() => Value ?? throw new CapabilityUnavailableException(typeof(T).Name, WhyNot ?? "not offered by this rig");
}

public sealed class CapabilityUnavailableException : Exception
{
    public CapabilityUnavailableException(string capability, string whyNot)
        : base($"{capability} is not available on this rig: {whyNot}")
    {
        Capability = capability;
        WhyNot = whyNot;
    }

    public CapabilityUnavailableException()
    {
        Capability = WhyNot = string.Empty;
    }

    public CapabilityUnavailableException(string message)
        : base(message)
    {
        Capability = WhyNot = string.Empty;
    }

    public CapabilityUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
        Capability = WhyNot = string.Empty;
    }

    public string Capability { get; }

    public string WhyNot { get; }
}
