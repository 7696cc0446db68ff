namespace RigNotebooks.Interop.Cuda;

/// <summary>
/// The CUDA driver API, initialised once per process (<c>cuInit(0)</c>). Entry point for devices, contexts, memory,
/// copies, events and PTX kernels — everything the bandwidth and correctness tests need, without the CUDA toolkit.
/// </summary>
/// <example><code>
/// var cuda = CudaDriver.Initialize();
/// using var ctx = cuda.Device(0).RetainPrimaryContext();
/// using var buffer = ctx.Allocate(512L &lt;&lt; 20);
/// buffer.Memset(0xA5);
/// </code></example>
public sealed class CudaDriver
{
    private static readonly object Gate = new();
    private static CudaDriver? instance;

    private CudaDriver(int versionCode)
    {
        VersionCode = versionCode;
    }

    /// <summary>1000 × major + 10 × minor, e.g. 12020.</summary>
    public int VersionCode { get; }

    /// <summary>"12.2".</summary>
    public string Version => Nvml.NvmlSession.FormatCudaVersion(VersionCode);

    /// <summary>Loads libcuda.so.1 (or throws a <see cref="Errors.RigEnvironmentException"/> naming where it looked) and calls
    /// <c>cuInit(0)</c> once; a failed init (no device, driver mismatch) throws and is retried on the next call.</summary>
    public static CudaDriver Initialize()
    {
        lock (Gate)
        {
            if (instance is not null)
            {
                return instance;
            }

            NativeLibraries.Require(GpuLibrary.Cuda);
            CudaErrors.Check(CudaNative.cuInit(0), nameof(CudaNative.cuInit));
            CudaErrors.Check(CudaNative.cuDriverGetVersion(out var version), nameof(CudaNative.cuDriverGetVersion));
            instance = new CudaDriver(version);
            return instance;
        }
    }

    public int DeviceCount()
    {
        CudaErrors.Check(CudaNative.cuDeviceGetCount(out var count), nameof(CudaNative.cuDeviceGetCount));
        return count;
    }

    /// <summary>The device at CUDA ordinal <paramref name="ordinal"/>. CUDA orders devices fastest first unless
    /// CUDA_DEVICE_ORDER=PCI_BUS_ID; match them to NVML and the rig by <see cref="CudaDevice.PciBusId"/>, never by number.</summary>
    public CudaDevice Device(int ordinal)
    {
        CudaErrors.Check(CudaNative.cuDeviceGet(out var device, ordinal), nameof(CudaNative.cuDeviceGet));
        return new CudaDevice(ordinal, device);
    }

    public IReadOnlyList<CudaDevice> Devices() => Enumerable.Range(0, DeviceCount()).Select(Device).ToList();

    /// <summary>The device whose PCI bus id matches <paramref name="pciBusId"/> in any common spelling, or null.</summary>
    public CudaDevice? DeviceByPciBusId(string pciBusId)
    {
        var wanted = Probes.PciAddress.Normalize(pciBusId);
        return Devices().FirstOrDefault(d => d.PciBusId() == wanted);
    }
}
