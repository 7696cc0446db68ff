using System.Runtime.InteropServices;
using RigNotebooks.Interop;

namespace RigNotebooks.Tests.Support;

/// <summary>
/// Compiles the stand-in NVML, CUDA driver and NCCL libraries (Interop/StandIn/*.c) with the machine's C compiler once
/// per test process and makes the kit load them instead of the real ones. They return invented values: tests that use
/// them check our marshalling and error mapping, not GPUs. The binding is process-wide, so every test that loads them
/// runs in the <see cref="StandInCollection"/> (one at a time) and no other test in this project loads the real libraries.
/// </summary>
public sealed class StandInLibraries
{
    private static readonly Lazy<StandInLibraries> Compiled = new(Compile);

    private StandInLibraries(string folder)
    {
        Folder = folder;
        NvmlPath = StandInCompiler.Build("nvml_standin.c", folder);
        CudaPath = StandInCompiler.Build("cuda_standin.c", folder);
        NcclPath = StandInCompiler.Build("nccl_standin.c", folder);
    }

    public static StandInLibraries Instance => Compiled.Value;

    public string Folder { get; }

    public string NvmlPath { get; }

    public string CudaPath { get; }

    public string NcclPath { get; }

    /// <summary>A test-control export of a stand-in (standin_*).</summary>
    public nint Control(GpuLibrary library, string name) =>
        NativeLibrary.GetExport(NativeLibraries.Require(library), name);

    public unsafe int IntControl(GpuLibrary library, string name) => ((delegate* unmanaged<int>)Control(library, name))();

    private static StandInLibraries Compile()
    {
        var libraries = new StandInLibraries(StandInCompiler.TempFolder("rig-standin-"));
        NativeLibraries.UseForProcess(GpuLibrary.Nvml, libraries.NvmlPath);
        NativeLibraries.UseForProcess(GpuLibrary.Cuda, libraries.CudaPath);
        NativeLibraries.UseForProcess(GpuLibrary.Nccl, libraries.NcclPath);
        return libraries;
    }
}

/// <summary>Tests that load the stand-in libraries share process-wide native state, so they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StandInCollection
{
    public const string Name = "stand-in native libraries";
}
