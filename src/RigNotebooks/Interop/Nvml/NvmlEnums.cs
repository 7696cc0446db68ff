namespace RigNotebooks.Interop.Nvml;

// Values from nvml.h (NVIDIA/go-nvml gen/nvml/nvml.h and the NVML API reference). C enums are 32-bit.

/// <summary><c>nvmlReturn_t</c>.</summary>
public enum NvmlReturn
{
    Success = 0,
    Uninitialized = 1,
    InvalidArgument = 2,
    NotSupported = 3,
    NoPermission = 4,
    AlreadyInitialized = 5,
    NotFound = 6,
    InsufficientSize = 7,
    InsufficientPower = 8,
    DriverNotLoaded = 9,
    Timeout = 10,
    IrqIssue = 11,
    LibraryNotFound = 12,
    FunctionNotFound = 13,
    CorruptedInforom = 14,
    GpuIsLost = 15,
    ResetRequired = 16,
    OperatingSystem = 17,
    LibRmVersionMismatch = 18,
    InUse = 19,
    Memory = 20,
    NoData = 21,
    VgpuEccNotSupported = 22,
    InsufficientResources = 23,
    FreqNotSupported = 24,
    ArgumentVersionMismatch = 25,
    Deprecated = 26,
    NotReady = 27,
    GpuNotFound = 28,
    InvalidState = 29,
    Unknown = 999,
}

/// <summary><c>nvmlGpuTopologyLevel_t</c>: the closest common ancestor of two GPUs, as <c>nvidia-smi topo -m</c> reports it.</summary>
public enum NvmlTopologyLevel
{
    /// <summary>The same board (e.g. a dual-GPU card).</summary>
    Internal = 0,

    /// <summary>One PCIe switch (PIX).</summary>
    Single = 10,

    /// <summary>Several PCIe switches, no host bridge (PXB).</summary>
    Multiple = 20,

    /// <summary>A PCIe host bridge (PHB).</summary>
    HostBridge = 30,

    /// <summary>Between host bridges within one NUMA node (NODE).</summary>
    Node = 40,

    /// <summary>Across NUMA nodes / CPU sockets (SYS).</summary>
    System = 50,
}

/// <summary><c>nvmlGpuP2PCapsIndex_t</c>: which P2P capability to ask about.</summary>
public enum NvmlP2PCapability
{
    Read = 0,
    Write = 1,
    NvLink = 2,
    Atomics = 3,

    /// <summary><c>NVML_P2P_CAPS_INDEX_PCI</c> (formerly <c>_PROP</c>).</summary>
    Pci = 4,
}

/// <summary><c>nvmlGpuP2PStatus_t</c>: the driver's answer for one P2P capability.</summary>
public enum NvmlP2PStatus
{
    Ok = 0,
    ChipsetNotSupported = 1,
    GpuNotSupported = 2,
    IohTopologyNotSupported = 3,
    DisabledByRegkey = 4,
    NotSupported = 5,
    Unknown = 6,
}

/// <summary><c>nvmlClockType_t</c>.</summary>
public enum NvmlClockType
{
    Graphics = 0,
    Sm = 1,
    Memory = 2,
    Video = 3,
}

/// <summary><c>nvmlTemperatureSensors_t</c>.</summary>
public enum NvmlTemperatureSensor
{
    Gpu = 0,
}

/// <summary><c>nvmlPcieUtilCounter_t</c>.</summary>
public enum NvmlPcieCounter
{
    /// <summary>Bytes sent by the GPU.</summary>
    Tx = 0,

    /// <summary>Bytes received by the GPU.</summary>
    Rx = 1,
}

/// <summary><c>nvmlEnableState_t</c>.</summary>
public enum NvmlEnableState
{
    Disabled = 0,
    Enabled = 1,
}

/// <summary><c>nvmlValueType_t</c>: the type held by an <c>nvmlValue_t</c> union.</summary>
public enum NvmlValueType
{
    Double = 0,
    UnsignedInt = 1,
    UnsignedLong = 2,
    UnsignedLongLong = 3,
    SignedLongLong = 4,
    SignedInt = 5,
    UnsignedShort = 6,
}

/// <summary>Field ids for <c>nvmlDeviceGetFieldValues</c> (the <c>NVML_FI_*</c> constants) the kit uses.</summary>
public static class NvmlFieldIds
{
    /// <summary><c>NVML_FI_DEV_MEMORY_TEMP</c>: memory (VRAM) temperature, °C. Usually not supported on GeForce cards.</summary>
    public const uint MemoryTemperature = 82;
}

/// <summary><c>nvmlDeviceArchitecture_t</c> values and their names as the kit's catalogs spell them.</summary>
public static class NvmlArchitectures
{
    public static string? Name(uint architecture) => architecture switch
    {
        2 => "Kepler",
        3 => "Maxwell",
        4 => "Pascal",
        5 => "Volta",
        6 => "Turing",
        7 => "Ampere",
        8 => "Ada",
        9 => "Hopper",
        10 => "Blackwell",
        _ => null,
    };
}
