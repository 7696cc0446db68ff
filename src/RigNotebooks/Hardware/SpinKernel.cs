using RigNotebooks.Interop.Cuda;

namespace RigNotebooks.Hardware;

/// <summary>
/// nvbandwidth's trick (REFERENCE.md §3): a one-thread kernel spins on a flag in pinned host memory while the start
/// event, the N copies and the stop event are queued behind it, so the time between the events is copy time only,
/// never enqueue time. The host releases it by writing the flag. The kernel is PTX, compiled by the driver
/// (cuModuleLoadData) — no CUDA toolkit needed — and gives up after a timeout so a forgotten release cannot wedge
/// the GPU. Pinned host memory is visible to the GPU at the same address under unified addressing (64-bit Linux).
/// </summary>
internal sealed class SpinKernel : IDisposable
{
    /// <summary>Spins until the 32-bit word at <c>flag</c> is non-zero or <c>timeout_ns</c> of %globaltimer have passed.</summary>
    public const string Ptx = """
        .version 6.0
        .target sm_50
        .address_size 64

        .visible .entry rig_spin_wait(
            .param .u64 rig_spin_wait_flag,
            .param .u64 rig_spin_wait_timeout_ns
        )
        {
            .reg .pred %p<3>;
            .reg .b32 %r<2>;
            .reg .b64 %rd<6>;

            ld.param.u64 %rd1, [rig_spin_wait_flag];
            ld.param.u64 %rd2, [rig_spin_wait_timeout_ns];
            mov.u64 %rd3, %globaltimer;
        $L_spin:
            ld.volatile.u32 %r1, [%rd1];
            setp.ne.s32 %p1, %r1, 0;
            @%p1 bra $L_done;
            mov.u64 %rd4, %globaltimer;
            sub.s64 %rd5, %rd4, %rd3;
            setp.lt.u64 %p2, %rd5, %rd2;
            @%p2 bra $L_spin;
        $L_done:
            ret;
        }
        """;

    /// <summary>Ten seconds: far longer than queueing any sample takes, short enough to free a GPU if the host dies.</summary>
    private const ulong TimeoutNs = 10_000_000_000;

    private readonly CudaModule module;
    private readonly CudaKernel kernel;
    private readonly PinnedHostBuffer flag;

    public SpinKernel(CudaContext context)
    {
        module = context.LoadPtx(Ptx);
        kernel = module.Kernel("rig_spin_wait");
        flag = context.AllocatePinned(64);
    }

    /// <summary>Arms the flag and queues the spin on <paramref name="stream"/>: work queued after it waits for <see cref="Release"/>.</summary>
    public void Hold(CudaStream stream)
    {
        Volatile.Write(ref System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(flag.Slice(0, 4))[0], 0);
        kernel.Launch(1, 1, stream, KernelArgument.UInt64((ulong)flag.Pointer), KernelArgument.UInt64(TimeoutNs));
    }

    public void Release() => Volatile.Write(ref System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(flag.Slice(0, 4))[0], 1);

    public void Dispose()
    {
        flag.Dispose();
        module.Dispose();
    }
}
