namespace RigNotebooks.Interop.Cuda;

/// <summary><c>CUresult</c> values the kit treats specially (cuda.h). Any other code is reported with the driver's
/// own name and message (<c>cuGetErrorName</c>, <c>cuGetErrorString</c>).</summary>
public enum CudaResult
{
    Success = 0,
    InvalidValue = 1,
    OutOfMemory = 2,
    NotInitialized = 3,
    Deinitialized = 4,

    /// <summary>The libcuda.so loaded is the toolkit's link stub, not a driver.</summary>
    StubLibrary = 34,
    DeviceUnavailable = 46,
    NoDevice = 100,
    InvalidDevice = 101,
    InvalidImage = 200,
    InvalidContext = 201,
    NoBinaryForGpu = 209,
    PeerAccessUnsupported = 217,
    InvalidPtx = 218,
    UnsupportedPtxVersion = 222,
    InvalidHandle = 400,
    NotFound = 500,
    NotReady = 600,
    IllegalAddress = 700,
    LaunchOutOfResources = 701,
    LaunchTimeout = 702,
    PeerAccessAlreadyEnabled = 704,
    PeerAccessNotEnabled = 705,
    ContextIsDestroyed = 709,
    LaunchFailed = 719,
    NotPermitted = 800,
    NotSupported = 801,
    SystemNotReady = 802,
    SystemDriverMismatch = 803,
    CompatNotSupportedOnDevice = 804,
    Unknown = 999,
}

/// <summary><c>CUdevice_attribute</c> values the kit reads (cuda.h).</summary>
public enum CudaDeviceAttribute
{
    MaxThreadsPerBlock = 1,
    ClockRateKHz = 13,
    MultiprocessorCount = 16,
    CanMapHostMemory = 19,
    PciBusId = 33,
    PciDeviceId = 34,
    MemoryClockRateKHz = 36,
    GlobalMemoryBusWidth = 37,
    L2CacheSize = 38,
    AsyncEngineCount = 40,
    UnifiedAddressing = 41,
    PciDomainId = 50,
    ComputeCapabilityMajor = 75,
    ComputeCapabilityMinor = 76,
}
