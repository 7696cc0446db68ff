using System.Runtime.InteropServices;
using RigNotebooks.Interop;

namespace RigNotebooks.Training.Tests.Support;

/// <summary>
/// The stand-in CUDA driver (device memory is host memory) and the stand-in NCCL whose ranks are threads that really
/// meet (StandIn/nccl_ranks_standin.c), compiled once per test process and bound in place of the real libraries.
/// They test the kit's side of the calls — sequence, data types, counts, error mapping, deadlines, aborts — and are
/// no evidence about NCCL or GPUs. Tests that use them run in <see cref="NcclStandInCollection"/>, one at a time, and
/// start with <see cref="Reset"/>.
/// </summary>
internal sealed class NcclRanksStandIn
{
    private static readonly Lazy<NcclRanksStandIn> Compiled = new(Compile);

    private NcclRanksStandIn()
    {
    }

    public static NcclRanksStandIn Instance => Compiled.Value;

    /// <summary>The stand-in's call log: "init(rank=0,nranks=2,blocking=0)", "allreduce(rank=1,count=10,datatype=7,op=4,inplace=1)", …</summary>
    public unsafe IReadOnlyList<string> Log =>
        (Marshal.PtrToStringUTF8(((delegate* unmanaged<nint>)Export("standin_log"))()) ?? string.Empty)
            .Split(';', StringSplitOptions.RemoveEmptyEntries);

    public int LiveComms => Int("standin_live_comms");

    public int Aborts => Int("standin_aborts");

    public int Destroys => Int("standin_destroys");

    public int Finalizes => Int("standin_finalizes");

    /// <summary>Clears the log and every injected fault; the version goes back to 2.21.5.</summary>
    public unsafe NcclRanksStandIn Reset()
    {
        ((delegate* unmanaged<void>)Export("standin_reset"))();
        return this;
    }

    public unsafe void SetVersion(int code) => ((delegate* unmanaged<int, void>)Export("standin_set_version"))(code);

    /// <summary>The rank's next collective call returns <paramref name="ncclResult"/>.</summary>
    public unsafe void FailNext(int rank, int ncclResult) => ((delegate* unmanaged<int, int, void>)Export("standin_fail_next"))(rank, ncclResult);

    /// <summary>After the rank's next collective call, ncclCommGetAsyncError reports <paramref name="ncclResult"/>.</summary>
    public unsafe void AsyncErrorAfterNext(int rank, int ncclResult) => ((delegate* unmanaged<int, int, void>)Export("standin_async_error_after_next"))(rank, ncclResult);

    /// <summary>The rank's next collective stays "in progress" forever.</summary>
    public unsafe void StallNext(int rank) => ((delegate* unmanaged<int, void>)Export("standin_stall_next"))(rank);

    /// <summary>Log entries of one kind ("allreduce", "broadcast", "init", "abort", …).</summary>
    public IReadOnlyList<string> Calls(string kind) => Log.Where(l => l.StartsWith(kind + "(", StringComparison.Ordinal)).ToList();

    private static NcclRanksStandIn Compile()
    {
        var folder = StandInCompiler.TempFolder("rig-nccl-ranks-standin-");
        NativeLibraries.UseForProcess(GpuLibrary.Cuda, StandInCompiler.Build("cuda_standin.c", folder));
        NativeLibraries.UseForProcess(GpuLibrary.Nccl, StandInCompiler.Build("nccl_ranks_standin.c", folder));
        return new NcclRanksStandIn();
    }

    private unsafe int Int(string name) => ((delegate* unmanaged<int>)Export(name))();

    private static nint Export(string name) => NativeLibrary.GetExport(NativeLibraries.Require(GpuLibrary.Nccl), name);
}

/// <summary>Tests that load the stand-in libraries share process-wide native state, so they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NcclStandInCollection
{
    public const string Name = "stand-in NCCL and CUDA";
}
