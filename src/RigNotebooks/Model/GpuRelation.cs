namespace RigNotebooks.Model;

/// <summary>How two GPUs reach each other, in the vocabulary of <c>nvidia-smi topo -m</c>, nearest first.</summary>
public enum GpuRelation
{
    /// <summary>X: the same GPU.</summary>
    Self,

    /// <summary>NV#: an NVLink connection.</summary>
    NvLink,

    /// <summary>PIX: through at most one PCIe switch.</summary>
    SingleSwitch,

    /// <summary>PXB: through several PCIe switches, without the host bridge.</summary>
    MultipleSwitches,

    /// <summary>PHB: through a PCIe host bridge (the CPU's root complex).</summary>
    HostBridge,

    /// <summary>NODE: between host bridges within one NUMA node.</summary>
    SameNumaNode,

    /// <summary>SYS: across NUMA nodes / CPU dies (Infinity Fabric, UPI).</summary>
    AcrossNumaNodes,
}

public static class GpuRelationNames
{
    public static string ToTopoCode(this GpuRelation relation) => relation switch
    {
        GpuRelation.Self => "X",
        GpuRelation.NvLink => "NV",
        GpuRelation.SingleSwitch => "PIX",
        GpuRelation.MultipleSwitches => "PXB",
        GpuRelation.HostBridge => "PHB",
        GpuRelation.SameNumaNode => "NODE",
        GpuRelation.AcrossNumaNodes => "SYS",
        _ => "?",
    };

    public static string Describe(this GpuRelation relation) => relation switch
    {
        GpuRelation.Self => "the same GPU",
        GpuRelation.NvLink => "NVLink",
        GpuRelation.SingleSwitch => "one PCIe switch",
        GpuRelation.MultipleSwitches => "several PCIe switches",
        GpuRelation.HostBridge => "the CPU's PCIe host bridge",
        GpuRelation.SameNumaNode => "between host bridges of one NUMA node",
        GpuRelation.AcrossNumaNodes => "across CPU dies / NUMA nodes",
        _ => "unknown",
    };
}
