namespace RigNotebooks.Model;

/// <summary>The relation and P2P capability from GPU <paramref name="From"/> to GPU <paramref name="To"/>.</summary>
public sealed record GpuPair(int From, int To, GpuRelation Relation, P2PCapability P2P);
