using System.Runtime.InteropServices;

namespace RigNotebooks.Interop.Cuda;

/// <summary>
/// The raw CUDA driver API (cuda.h, <c>libcuda.so.1</c>), source-generated with <c>[LibraryImport]</c>.
/// Where cuda.h maps a name to a versioned export with <c>#define</c>, the versioned export is bound
/// (<c>cuMemAlloc_v2</c>, <c>cuMemFree_v2</c>, <c>cuCtxCreate_v2</c>, <c>cuCtxDestroy_v2</c>, <c>cuMemcpyHtoD_v2</c>,
/// <c>cuMemcpyDtoH_v2</c>, <c>cuMemGetInfo_v2</c>, <c>cuStreamDestroy_v2</c>, <c>cuEventDestroy_v2</c>,
/// <c>cuDevicePrimaryCtxRelease_v2</c>, …; REFERENCE.md §2): the unversioned symbols are the old 32-bit-era ABI.
/// Types: <c>CUdevice</c> = int, <c>CUdeviceptr</c> = 64-bit unsigned, every other handle an opaque pointer.
/// Use the wrappers (<see cref="CudaDriver"/>, <see cref="CudaContext"/>, …), which own the handles.
/// </summary>
internal static unsafe partial class CudaNative
{
    private const string Lib = GpuLibraryInfo.CudaSoname;

    [LibraryImport(Lib)]
    internal static partial CudaResult cuInit(uint flags);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuDriverGetVersion(out int driverVersion);

    /// <summary>Writes a pointer to a static string: never free it.</summary>
    [LibraryImport(Lib)]
    internal static partial CudaResult cuGetErrorString(CudaResult error, out nint text);

    /// <summary>Writes a pointer to a static string: never free it.</summary>
    [LibraryImport(Lib)]
    internal static partial CudaResult cuGetErrorName(CudaResult error, out nint text);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuDeviceGetCount(out int count);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuDeviceGet(out int device, int ordinal);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuDeviceGetName(byte* name, int length, int device);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuDeviceGetAttribute(out int value, CudaDeviceAttribute attribute, int device);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuDeviceTotalMem_v2(out nuint bytes, int device);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuDeviceGetPCIBusId(byte* pciBusId, int length, int device);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuDeviceCanAccessPeer(out int canAccessPeer, int device, int peerDevice);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuDevicePrimaryCtxRetain(out nint context, int device);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuDevicePrimaryCtxRelease_v2(int device);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuCtxCreate_v2(out nint context, uint flags, int device);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuCtxDestroy_v2(nint context);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuCtxSetCurrent(nint context);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuCtxGetCurrent(out nint context);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuCtxSynchronize();

    /// <summary>Lets the current context access memory of <paramref name="peerContext"/>'s device.</summary>
    [LibraryImport(Lib)]
    internal static partial CudaResult cuCtxEnablePeerAccess(nint peerContext, uint flags);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuCtxDisablePeerAccess(nint peerContext);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuMemGetInfo_v2(out nuint free, out nuint total);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuMemAlloc_v2(out ulong devicePointer, nuint bytes);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuMemFree_v2(ulong devicePointer);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuMemHostAlloc(out nint hostPointer, nuint bytes, uint flags);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuMemFreeHost(nint hostPointer);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuMemsetD8_v2(ulong devicePointer, byte value, nuint count);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuMemsetD32_v2(ulong devicePointer, uint value, nuint count);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuMemsetD8Async(ulong devicePointer, byte value, nuint count, nint stream);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuMemcpyHtoD_v2(ulong destination, void* source, nuint bytes);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuMemcpyDtoH_v2(void* destination, ulong source, nuint bytes);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuMemcpyDtoD_v2(ulong destination, ulong source, nuint bytes);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuMemcpyHtoDAsync_v2(ulong destination, void* source, nuint bytes, nint stream);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuMemcpyDtoHAsync_v2(void* destination, ulong source, nuint bytes, nint stream);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuMemcpyDtoDAsync_v2(ulong destination, ulong source, nuint bytes, nint stream);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuMemcpyPeer(ulong destination, nint destinationContext, ulong source, nint sourceContext, nuint bytes);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuMemcpyPeerAsync(ulong destination, nint destinationContext, ulong source, nint sourceContext, nuint bytes, nint stream);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuStreamCreate(out nint stream, uint flags);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuStreamDestroy_v2(nint stream);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuStreamSynchronize(nint stream);

    /// <summary><see cref="CudaResult.Success"/> when all work is done, <see cref="CudaResult.NotReady"/> while some is pending.</summary>
    [LibraryImport(Lib)]
    internal static partial CudaResult cuStreamQuery(nint stream);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuStreamWaitEvent(nint stream, nint cudaEvent, uint flags);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuEventCreate(out nint cudaEvent, uint flags);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuEventDestroy_v2(nint cudaEvent);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuEventRecord(nint cudaEvent, nint stream);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuEventSynchronize(nint cudaEvent);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuEventQuery(nint cudaEvent);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuEventElapsedTime(out float milliseconds, nint start, nint end);

    /// <summary>Loads a module from a NUL-terminated PTX text (the driver JIT-compiles it) or a cubin image.</summary>
    [LibraryImport(Lib)]
    internal static partial CudaResult cuModuleLoadData(out nint module, byte* image);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuModuleUnload(nint module);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CudaResult cuModuleGetFunction(out nint function, nint module, string name);

    [LibraryImport(Lib)]
    internal static partial CudaResult cuLaunchKernel(
        nint function,
        uint gridX,
        uint gridY,
        uint gridZ,
        uint blockX,
        uint blockY,
        uint blockZ,
        uint sharedMemoryBytes,
        nint stream,
        nint* kernelParameters,
        nint* extra);
}
