namespace RigNotebooks.Data;

/// <summary>One CPU model's PCIe facts (data/cpus.json).</summary>
public sealed record CpuModelSpec
{
    public required string Name { get; init; }

    public required int PcieLanesTotal { get; init; }

    /// <summary>Lanes left for slots and drives after the chipset link.</summary>
    public required int PcieLanesUsable { get; init; }

    public required int PcieGen { get; init; }

    public required int NumaNodes { get; init; }

    /// <summary>A common belief about this CPU that the lane check should correct, if any.</summary>
    public string? CommonMisbelief { get; init; }

    public required IReadOnlyList<string> Sources { get; init; }
}
