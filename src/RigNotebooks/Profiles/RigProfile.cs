using RigNotebooks.Model;

namespace RigNotebooks.Profiles;

// The JSON shape of a rig profile (data/rigs/*.json). A profile is a rig that exists or might exist:
// the simulated rig is built from it, and the planner edits it. Faults are data here, never code.
// Every record is strict: unknown fields and missing required fields are rejected on load with a JSON path.

/// <summary>A rig profile: platform, PCIe tree, GPUs, power supplies, cooling, faults and cost.</summary>
public sealed record RigProfile
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    /// <summary>Where the profile's facts come from (REFERENCE.md sections, write-ups, reviews).</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    public required PlatformSpec Platform { get; init; }

    /// <summary>The PCIe bridges as a tree (each names its parent); host bridges are the roots. A port with no GPU and no
    /// bridge below it is a free slot: with its link (the slot's width) given, the planner's <c>gpus=N</c> puts added
    /// cards there, and the simulated rig does not report it (a probe lists only the bridges above GPUs).</summary>
    public required IReadOnlyList<BridgeSpec> Bridges { get; init; }

    public required IReadOnlyList<GpuSpec> Gpus { get; init; }

    public IReadOnlyList<PsuSpec> Psus { get; init; } = [];

    public CoolingSpec? Cooling { get; init; }

    public FaultSpec Faults { get; init; } = new();

    public CostSpec? Cost { get; init; }
}

public sealed record PlatformSpec
{
    /// <summary>CPU model; lane counts come from data/cpus.json unless given here.</summary>
    public required string Cpu { get; init; }

    public string? Board { get; init; }

    public int? CpuPcieLanesTotal { get; init; }

    public int? CpuPcieLanesUsable { get; init; }

    /// <summary>CPU lanes used by devices other than GPUs (an NVMe drive on CPU lanes: 4).</summary>
    public int OtherCpuLanesUsed { get; init; }

    public int? NumaNodes { get; init; }

    public required string Os { get; init; }

    public required string DriverVersion { get; init; }

    public required string CudaDriverVersion { get; init; }

    public required string KernelCommandLine { get; init; }

    public required IommuMode Iommu { get; init; }

    public string? Hostname { get; init; }
}

public sealed record BridgeSpec
{
    public required string Id { get; init; }

    public required BridgeKind Kind { get; init; }

    /// <summary>The bridge above this one; null only for a host bridge.</summary>
    public string? Parent { get; init; }

    public string? BusId { get; init; }

    public int? NumaNode { get; init; }

    /// <summary>ACS redirect enabled on this bridge (forces peer traffic up to the root complex).</summary>
    public bool Acs { get; init; }

    public LinkSpec? Link { get; init; }
}

public sealed record LinkSpec
{
    public required int Gen { get; init; }

    public required int Width { get; init; }

    /// <summary>The best the card and slot allow together; defaults to <see cref="Gen"/>.</summary>
    public int? MaxGen { get; init; }

    /// <summary>The slot's electrical width; defaults to <see cref="Width"/>.</summary>
    public int? MaxWidth { get; init; }
}

public sealed record GpuSpec
{
    /// <summary>A model in data/gpus.json, e.g. "NVIDIA GeForce RTX 3090".</summary>
    public required string Model { get; init; }

    public required string BusId { get; init; }

    /// <summary>The bridge this GPU sits under (its root port or switch port).</summary>
    public required string Parent { get; init; }

    public required LinkSpec Link { get; init; }

    public string? Uuid { get; init; }

    /// <summary>The current power limit; defaults to the model's default limit.</summary>
    public double? PowerLimitW { get; init; }

    /// <summary>0 = first in the airflow; higher = downstream (hotter).</summary>
    public int? AirflowPosition { get; init; }

    public string? Slot { get; init; }
}

public sealed record PsuSpec
{
    public required string Name { get; init; }

    public required double RatingW { get; init; }

    /// <summary>Indices (0-based, profile order) of the GPUs this unit feeds.</summary>
    public required IReadOnlyList<int> Feeds { get; init; }

    /// <summary>Everything else on this unit at load: CPU, board, drives, fans.</summary>
    public double OtherLoadW { get; init; }
}

public sealed record CoolingSpec
{
    public required double AmbientC { get; init; }

    public required string Layout { get; init; }
}

/// <summary>Faults with their observable effect. Data, not code: the simulation reads these flags.</summary>
public sealed record FaultSpec
{
    /// <summary>Peer transfers never complete (the driver-545 hang).</summary>
    public bool PeerCopiesHang { get; init; }

    /// <summary>Peer copies deliver wrong bytes (IOMMU translation faults read back as zeros).</summary>
    public bool PeerCopiesCorrupt { get; init; }

    /// <summary>Peer-copy bandwidth as a fraction of the healthy path (IOMMU translating every transfer).</summary>
    public double? PeerBandwidthFactor { get; init; }

    /// <summary>Whether the driver reports P2P between the GPUs (a broken driver still reports it).</summary>
    public bool PeerAccessReported { get; init; } = true;

    public string? Notes { get; init; }

    public IReadOnlyList<string> Sources { get; init; } = [];
}

public sealed record CostSpec
{
    public required string Currency { get; init; }

    public required IReadOnlyList<BomItem> BillOfMaterials { get; init; }
}

public sealed record BomItem
{
    public required string Item { get; init; }

    public required double Price { get; init; }

    public string? Source { get; init; }
}
