using System.Globalization;

namespace RigNotebooks.Interop.Nvml;

/// <summary>
/// An open NVML: the library loaded and initialised. Sessions are reference-counted across the process: the first
/// <see cref="Open"/> calls <c>nvmlInit_v2</c>, the last <see cref="Dispose"/> calls <c>nvmlShutdown</c>, so a telemetry
/// sampler and the local rig can each hold one without shutting NVML down under the other.
/// </summary>
/// <example><code>
/// using var nvml = NvmlSession.Open();
/// foreach (var gpu in nvml.Devices()) Console.WriteLine($"{gpu.Name()} {gpu.PowerUsageW():0} W");
/// </code></example>
public sealed class NvmlSession : IDisposable
{
    private static readonly object Gate = new();
    private static int openCount;
    private int disposed;

    private NvmlSession()
    {
    }

    /// <summary>Number of sessions open in this process (NVML stays initialised while it is above zero).</summary>
    public static int OpenCount
    {
        get
        {
            lock (Gate)
            {
                return openCount;
            }
        }
    }

    /// <summary>Loads NVML (or throws a <see cref="Errors.RigEnvironmentException"/> naming where it looked) and initialises it once per process.</summary>
    public static NvmlSession Open()
    {
        NativeLibraries.Require(GpuLibrary.Nvml);
        lock (Gate)
        {
            if (openCount == 0)
            {
                NvmlErrors.Check(NvmlNative.nvmlInit_v2(), nameof(NvmlNative.nvmlInit_v2));
            }

            openCount++;
        }

        return new NvmlSession();
    }

    /// <summary>The driver version, e.g. "535.154.05".</summary>
    public unsafe string DriverVersion()
    {
        ThrowIfDisposed();
        const int size = 80; // NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE
        var buffer = stackalloc byte[size];
        NvmlErrors.Check(NvmlNative.nvmlSystemGetDriverVersion(buffer, size), nameof(NvmlNative.nvmlSystemGetDriverVersion));
        return NativeText.FromBuffer(buffer, size);
    }

    /// <summary>NVML's own version, e.g. "12.535.154.05".</summary>
    public unsafe string NvmlVersion()
    {
        ThrowIfDisposed();
        const int size = 80; // NVML_SYSTEM_NVML_VERSION_BUFFER_SIZE
        var buffer = stackalloc byte[size];
        NvmlErrors.Check(NvmlNative.nvmlSystemGetNVMLVersion(buffer, size), nameof(NvmlNative.nvmlSystemGetNVMLVersion));
        return NativeText.FromBuffer(buffer, size);
    }

    /// <summary>The CUDA driver API version the driver provides, as NVML encodes it (1000 × major + 10 × minor, e.g. 12020).</summary>
    public int CudaDriverVersionCode()
    {
        ThrowIfDisposed();
        NvmlErrors.Check(NvmlNative.nvmlSystemGetCudaDriverVersion_v2(out var version), nameof(NvmlNative.nvmlSystemGetCudaDriverVersion_v2));
        return version;
    }

    /// <summary>The CUDA driver API version as "major.minor", e.g. "12.2".</summary>
    public string CudaDriverVersion() => FormatCudaVersion(CudaDriverVersionCode());

    /// <summary>1000 × major + 10 × minor (the CUDA encoding) as "major.minor".</summary>
    public static string FormatCudaVersion(int code) =>
        string.Create(CultureInfo.InvariantCulture, $"{code / 1000}.{code % 1000 / 10}");

    public int DeviceCount()
    {
        ThrowIfDisposed();
        NvmlErrors.Check(NvmlNative.nvmlDeviceGetCount_v2(out var count), nameof(NvmlNative.nvmlDeviceGetCount_v2));
        return checked((int)count);
    }

    /// <summary>The GPU at NVML index <paramref name="index"/> (NVML orders GPUs by PCI bus id, like nvidia-smi).</summary>
    public NvmlDevice Device(int index)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        NvmlErrors.Check(NvmlNative.nvmlDeviceGetHandleByIndex_v2((uint)index, out var handle), nameof(NvmlNative.nvmlDeviceGetHandleByIndex_v2));
        return new NvmlDevice(this, index, handle);
    }

    public IReadOnlyList<NvmlDevice> Devices() => Enumerable.Range(0, DeviceCount()).Select(Device).ToList();

    public bool IsDisposed => Volatile.Read(ref disposed) != 0;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        lock (Gate)
        {
            openCount--;
            if (openCount == 0)
            {
                // A failing shutdown at exit is not worth an exception: the process is leaving NVML anyway.
                _ = NvmlNative.nvmlShutdown();
            }
        }
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);
}
