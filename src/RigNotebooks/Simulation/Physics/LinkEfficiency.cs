namespace RigNotebooks.Simulation.Physics;

/// <summary>How much of a PCIe link's raw payload rate DMA copies achieve, and the other transfer constants
/// of the simulated interconnect. Every figure names its source; assumptions say so.</summary>
public static class LinkEfficiency
{
    /// <summary>Achieved fraction of the raw per-direction rate for large copy-engine transfers.
    /// Gen3: 12.1 of 15.75 GB/s (x16); Gen4: 26.2 of 31.5 GB/s (x16) — Microway, "performance characteristics
    /// of common transports" (REFERENCE.md §2). Other generations: 0.80, an assumption between the two.</summary>
    public static double Achieved(int generation) => generation switch
    {
        3 => 12.1 / 15.75,
        4 => 26.2 / 31.5,
        _ => 0.80,
    };

    /// <summary>P2P off: a GPU-to-GPU copy staged through pinned host memory reaches this fraction of the link's
    /// achieved rate. 4x RTX 3090 PCIe 4.0: 11.2 GB/s off vs 25.7 on (0.44); 2x RTX 4090 PCIe 4.0: 12.0 vs the
    /// link's 26.2 (0.46) — REFERENCE.md §5 (valdemardi/open-gpu-kernel-modules; muellerzr gist).</summary>
    public const double StagedThroughHostFraction = 0.45;

    /// <summary>Bidirectional (sum of both directions) over unidirectional with P2P off: 16.8 / 12.0 GB/s for
    /// 2x RTX 4090 (REFERENCE.md §5, muellerzr gist, anecdotal).</summary>
    public const double BidirectionalFactorStaged = 1.4;

    /// <summary>Bidirectional over unidirectional with P2P on: PCIe is full duplex; 1.9 rather than 2 for the
    /// flow-control and completion traffic each direction adds to the other. Assumption (no figure in REFERENCE.md).</summary>
    public const double BidirectionalFactorP2P = 1.9;

    /// <summary>Peer traffic between CPU dies (SYS) crosses Infinity Fabric / UPI; assumed to cost 10 % of the
    /// path's rate (assumption: no published P2P figure for a Threadripper 1920X).</summary>
    public const double AcrossNumaFactor = 0.90;

    /// <summary>Between host bridges of one NUMA node (NODE): assumed 5 % (assumption).</summary>
    public const double SameNumaNodeFactor = 0.95;

    /// <summary>Pageable host memory is staged by the driver through its own pinned buffer; assumed 0.6 of the pinned
    /// rate (assumption: typical of PCIe 3.0 systems; no figure in REFERENCE.md).</summary>
    public const double PageableFraction = 0.6;

    /// <summary>A copy within one GPU reads and writes device memory, so it moves at most half the memory bandwidth;
    /// 85 % of that is achieved (assumption; nvbandwidth's device_local_copy on GA102 reports about 400 GB/s of 936).</summary>
    public const double DeviceLocalCopyFraction = 0.85 / 2;

    /// <summary>Small-copy latency with P2P on: 1.1 us (4x RTX 3090 PCIe 4.0, patched driver — REFERENCE.md §5).</summary>
    public const double P2PLatencyUs = 1.1;

    /// <summary>Small-copy latency with P2P off, staged through host: 10.5-10.9 us (2x RTX 4090) and 11.4-20.6 us
    /// (4x RTX 3090) — REFERENCE.md §5; 11 us is taken for a pair under one host bridge.</summary>
    public const double StagedLatencyUs = 11.0;

    /// <summary>Extra latency across CPU dies: P2P on +0.3 us, staged +5 us (assumption: the upper end of the
    /// published 11.4-20.6 us range is taken as the cross-die case).</summary>
    public const double AcrossNumaExtraP2PLatencyUs = 0.3;

    public const double AcrossNumaExtraStagedLatencyUs = 5.0;

    /// <summary>Extra latency per peer transfer when the IOMMU translates it (an IOTLB walk): assumption, 2 us.</summary>
    public const double IommuTranslationExtraLatencyUs = 2.0;

    /// <summary>With the IOMMU translating, peer copies larger than one page read back wrong from the second page on
    /// (translation faults leave the buffer's later pages unwritten: "reads back as zeros", REFERENCE.md §4).
    /// The first wrong byte is therefore at this offset.</summary>
    public const long CorruptFromOffsetBytes = 4096;
}
