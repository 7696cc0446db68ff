namespace RigNotebooks.Model;

/// <summary>One GPU as the rig reports it.</summary>
/// <param name="UpstreamBridgeIds">The PCIe bridges above the GPU, nearest first, ending at its host bridge.</param>
/// <param name="AirflowPosition">0 = first in the airflow (coolest); higher = further downstream. Null when unknown.</param>
public sealed record GpuInfo(
    int Index,
    string Name,
    string Uuid,
    string PciBusId,
    string Architecture,
    long MemoryBytes,
    PowerLimits PowerLimits,
    PcieLink Link,
    IReadOnlyList<string> UpstreamBridgeIds,
    int? NumaNode,
    int? AirflowPosition,
    string? Serial = null)
{
    public double MemoryGB => MemoryBytes / 1e9;
}
