using RigNotebooks.Probes;

namespace RigNotebooks.Interop.Cuda;

/// <summary>One CUDA device: identity, attributes, peer access, and its contexts.</summary>
public sealed class CudaDevice
{
    internal CudaDevice(int ordinal, int handle)
    {
        Ordinal = ordinal;
        Handle = handle;
    }

    /// <summary>The CUDA ordinal (not necessarily the NVML or nvidia-smi index).</summary>
    public int Ordinal { get; }

    /// <summary>The <c>CUdevice</c> value.</summary>
    internal int Handle { get; }

    public unsafe string Name()
    {
        const int size = 256;
        var buffer = stackalloc byte[size];
        CudaErrors.Check(CudaNative.cuDeviceGetName(buffer, size, Handle), nameof(CudaNative.cuDeviceGetName));
        return NativeText.FromBuffer(buffer, size);
    }

    /// <summary>The PCI address in the sysfs spelling ("0000:0a:00.0").</summary>
    public unsafe string PciBusId()
    {
        const int size = 32;
        var buffer = stackalloc byte[size];
        CudaErrors.Check(CudaNative.cuDeviceGetPCIBusId(buffer, size, Handle), nameof(CudaNative.cuDeviceGetPCIBusId));
        return PciAddress.Normalize(NativeText.FromBuffer(buffer, size));
    }

    public int Attribute(CudaDeviceAttribute attribute)
    {
        CudaErrors.Check(CudaNative.cuDeviceGetAttribute(out var value, attribute, Handle), nameof(CudaNative.cuDeviceGetAttribute));
        return value;
    }

    public int MultiprocessorCount => Attribute(CudaDeviceAttribute.MultiprocessorCount);

    public (int Major, int Minor) ComputeCapability =>
        (Attribute(CudaDeviceAttribute.ComputeCapabilityMajor), Attribute(CudaDeviceAttribute.ComputeCapabilityMinor));

    /// <summary>Copy engines that can overlap with kernels (2 lets a GPU send and receive at once).</summary>
    public int AsyncEngineCount => Attribute(CudaDeviceAttribute.AsyncEngineCount);

    public long TotalMemoryBytes()
    {
        CudaErrors.Check(CudaNative.cuDeviceTotalMem_v2(out var bytes, Handle), nameof(CudaNative.cuDeviceTotalMem_v2));
        return checked((long)bytes);
    }

    /// <summary>Whether this device can address <paramref name="peer"/>'s memory directly (<c>cuDeviceCanAccessPeer</c>).
    /// A "yes" is the driver's claim; only a verified copy shows that P2P works (REFERENCE.md §4).</summary>
    public bool CanAccessPeer(CudaDevice peer)
    {
        CudaErrors.Check(CudaNative.cuDeviceCanAccessPeer(out var can, Handle, peer.Handle), nameof(CudaNative.cuDeviceCanAccessPeer));
        return can != 0;
    }

    /// <summary>Retains the device's primary context — the one the CUDA runtime, PyTorch and NCCL use. Dispose to release it.</summary>
    public CudaContext RetainPrimaryContext()
    {
        CudaErrors.Check(CudaNative.cuDevicePrimaryCtxRetain(out var ctx, Handle), nameof(CudaNative.cuDevicePrimaryCtxRetain));
        return new CudaContext(this, new CudaContextHandle(ctx, Handle, primary: true));
    }

    /// <summary>Creates a private context (<c>cuCtxCreate_v2</c>). Prefer <see cref="RetainPrimaryContext"/>: NCCL and other
    /// libraries share the primary context, and private contexts cost device memory.</summary>
    public CudaContext CreateContext()
    {
        CudaErrors.Check(CudaNative.cuCtxCreate_v2(out var ctx, 0, Handle), nameof(CudaNative.cuCtxCreate_v2));
        return new CudaContext(this, new CudaContextHandle(ctx, Handle, primary: false));
    }

    public override string ToString() => $"CUDA device {Ordinal}";
}
