namespace RigNotebooks.Model;

/// <summary>What the driver reports about peer-to-peer access from one GPU to another, with the reason.</summary>
/// <remarks>"Reported" is not "works": a driver can report P2P and still hang or corrupt peer copies
/// (REFERENCE.md §4). Only a transfer test shows the truth.</remarks>
public sealed record P2PCapability(bool Read, bool Write, bool NvLink, bool Atomics, string Reason)
{
    public bool Supported => Read && Write;

    public static P2PCapability None(string reason) => new(false, false, false, false, reason);
}
