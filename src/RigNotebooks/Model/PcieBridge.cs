namespace RigNotebooks.Model;

public enum BridgeKind
{
    /// <summary>The CPU's PCIe root complex (one per die on Threadripper 1000/2000).</summary>
    HostBridge,

    /// <summary>A root port of the host bridge; a bifurcated slot is several root ports.</summary>
    RootPort,

    /// <summary>A PCIe switch (PLX/Broadcom or the chipset): GPUs below one switch are PIX to each other.</summary>
    Switch,
}

/// <summary>A PCIe bridge on the path between GPUs and the CPU.</summary>
/// <param name="AcsEnabled">Access Control Services redirect on this bridge; null when it could not be read (needs root).</param>
/// <param name="Link">The bridge's upstream link; null for host bridges.</param>
public sealed record PcieBridge(
    string Id,
    BridgeKind Kind,
    string? PciBusId,
    int? NumaNode,
    bool? AcsEnabled,
    PcieLink? Link);
