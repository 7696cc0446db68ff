namespace RigNotebooks.Bandwidth.Measurement;

/// <summary>A data check of the peer path: copy a known pattern of <paramref name="SizeBytes"/> from
/// <paramref name="Source"/> to <paramref name="Destination"/> with P2P enabled, read it back, compare.</summary>
public sealed record PeerCheckRequest(int Source, int Destination, long SizeBytes);

/// <summary>What the comparison found: how many bytes differ and the offset of the first one (null when none).</summary>
public sealed record PeerCheckResult(long SizeBytes, long MismatchedBytes, long? FirstWrongOffsetBytes)
{
    public bool Intact => MismatchedBytes == 0;
}
