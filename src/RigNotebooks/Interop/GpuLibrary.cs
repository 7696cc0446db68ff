namespace RigNotebooks.Interop;

/// <summary>The native NVIDIA libraries the kit binds to.</summary>
public enum GpuLibrary
{
    /// <summary>NVML (<c>libnvidia-ml.so.1</c>): identity, links, topology, power, temperatures, clocks. Installed with the driver.</summary>
    Nvml,

    /// <summary>The CUDA driver API (<c>libcuda.so.1</c>): memory, copies, events, PTX kernels. Installed with the driver, no toolkit needed.</summary>
    Cuda,

    /// <summary>NCCL (<c>libnccl.so.2</c>): collectives. Not part of the driver: from pip (PyTorch brings it), conda or the distribution.</summary>
    Nccl,
}

/// <summary>How to find one native library, and what to tell the user when it is missing.</summary>
/// <param name="DisplayName">"NVML", "CUDA driver", "NCCL".</param>
/// <param name="Sonames">Names tried with the system's loader search (ld.so.cache, LD_LIBRARY_PATH), preferred first.</param>
/// <param name="OverrideVariable">The environment variable that names an exact file to load instead.</param>
/// <param name="InstallHint">What to install or set when the library cannot be loaded.</param>
public sealed record GpuLibraryInfo(GpuLibrary Library, string DisplayName, IReadOnlyList<string> Sonames, string OverrideVariable, string InstallHint)
{
    public const string NvmlSoname = "libnvidia-ml.so.1";
    public const string CudaSoname = "libcuda.so.1";
    public const string NcclSoname = "libnccl.so.2";

    public static GpuLibraryInfo Nvml { get; } = new(
        GpuLibrary.Nvml,
        "NVML",
        [NvmlSoname, "libnvidia-ml.so"],
        "RIG_NVML_LIBRARY",
        "Install the NVIDIA driver, which ships NVML (Ubuntu: `sudo ubuntu-drivers install` or `sudo apt install nvidia-driver-535`; " +
        "in a container, run it with the NVIDIA container toolkit, e.g. `docker run --gpus all`), or set RIG_NVML_LIBRARY to the file's path.");

    public static GpuLibraryInfo Cuda { get; } = new(
        GpuLibrary.Cuda,
        "CUDA driver",
        [CudaSoname, "libcuda.so"],
        "RIG_CUDA_LIBRARY",
        "Install the NVIDIA driver, which ships libcuda.so.1 (no CUDA toolkit is needed; Ubuntu: `sudo apt install nvidia-driver-535` or the `libnvidia-compute-535` package), " +
        "or set RIG_CUDA_LIBRARY to the file's path. A libcuda.so from a toolkit's stubs/ folder is not a driver.");

    public static GpuLibraryInfo Nccl { get; } = new(
        GpuLibrary.Nccl,
        "NCCL",
        [NcclSoname, "libnccl.so"],
        "RIG_NCCL_LIBRARY",
        "Install NCCL: `pip install nvidia-nccl-cu12` (or -cu13; PyTorch's CUDA wheels bring it), `conda install -c conda-forge nccl`, " +
        "or the distribution's `libnccl2` package; or set RIG_NCCL_LIBRARY to the path of libnccl.so.2.");

    public static GpuLibraryInfo Of(GpuLibrary library) => library switch
    {
        GpuLibrary.Nvml => Nvml,
        GpuLibrary.Cuda => Cuda,
        GpuLibrary.Nccl => Nccl,
        _ => throw new ArgumentOutOfRangeException(nameof(library), library, "Unknown GPU library."),
    };
}
