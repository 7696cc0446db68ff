using System.Runtime.InteropServices;
using RigNotebooks.Errors;
using RigNotebooks.Interop;
using RigNotebooks.Interop.Cuda;
using RigNotebooks.Interop.Nccl;
using RigNotebooks.Tests.Support;

namespace RigNotebooks.Tests.Interop;

/// <summary>Our NCCL bindings against the stand-in libnccl (it sums on the host as if every rank held the same data):
/// marshalling and error mapping only, not evidence about NCCL or GPUs.</summary>
[Collection(StandInCollection.Name)]
public sealed class NcclStandInTests
{
    private readonly StandInLibraries standIn = StandInLibraries.Instance;

    [Fact]
    public void StandIn_version_code_is_decoded_for_both_encodings()
    {
        _ = standIn;
        Assert.Equal(22105, Nccl.VersionCode());
        Assert.Equal(new Version(2, 21, 5), Nccl.Version());
        Assert.Equal(new Version(2, 8, 4), Nccl.DecodeVersion(2804));
    }

    [Fact]
    public void StandIn_unique_id_passes_by_value_into_init_rank()
    {
        _ = standIn;
        var id = Nccl.NewUniqueId();
        Assert.Equal(128, id.ToArray().Length);
        Assert.Equal(3, id.ToArray()[0]);
        Assert.Equal(id, NcclUniqueId.FromBytes(id.ToArray()));

        using var comm = NcclCommunicator.InitRank(4, id, 2);
        Assert.Equal(4, comm.Count);
        Assert.Equal(2, comm.Rank);

        var tampered = id.ToArray();
        tampered[127] ^= 0xFF;
        var ex = Assert.Throws<GpuLibraryException>(() => NcclCommunicator.InitRank(4, NcclUniqueId.FromBytes(tampered), 0));
        Assert.Equal("ncclInvalidArgument", ex.CodeName);
        Assert.Equal(GpuErrorKind.InvalidUsage, ex.Kind);
        Assert.StartsWith("invalid argument", ex.NativeMessage, StringComparison.Ordinal);
        Assert.Contains("a bug in the kit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StandIn_init_all_then_grouped_all_reduce_and_destroy()
    {
        var liveBefore = standIn.IntControl(GpuLibrary.Nccl, "standin_nccl_live_comms");
        var comms = NcclCommunicator.InitAll([1, 0]);
        Assert.Equal(2, comms.Count);
        Assert.Equal([1, 0], comms.Select(c => c.CudaDevice));
        Assert.Equal([0, 1], comms.Select(c => c.Rank));

        using var ctx = CudaDriver.Initialize().Device(0).RetainPrimaryContext();
        using var stream = ctx.CreateStream();
        using var send = ctx.Allocate(16 * sizeof(float));
        using var receive = ctx.Allocate(16 * sizeof(float));
        var values = Enumerable.Range(1, 16).Select(i => (float)i).ToArray();
        CudaCopy.HostToDevice(send, MemoryMarshal.AsBytes(values.AsSpan()));
        var starts = standIn.IntControl(GpuLibrary.Nccl, "standin_nccl_group_starts");
        Nccl.Grouped(() => comms[0].AllReduce(send, receive, 16, NcclDataType.Float32, NcclReduction.Sum, stream));
        Assert.Equal(starts + 1, standIn.IntControl(GpuLibrary.Nccl, "standin_nccl_group_starts"));
        Assert.Equal(0, standIn.IntControl(GpuLibrary.Nccl, "standin_nccl_group_depth"));

        var back = new float[16];
        CudaCopy.DeviceToHost(MemoryMarshal.AsBytes(back.AsSpan()), receive);
        Assert.Equal(values.Select(v => v * 2), back);
        Assert.Equal(NcclResult.Success, comms[0].AsyncError());

        Assert.Throws<ArgumentOutOfRangeException>(() => comms[0].AllReduce(send, receive, 17, NcclDataType.Float32, NcclReduction.Sum, stream));
        var refused = Assert.Throws<GpuLibraryException>(() => comms[0].AllReduce(send, receive, 8, NcclDataType.BFloat16, NcclReduction.Average, stream));
        Assert.Equal("ncclAllReduce", refused.Function);

        comms[0].Dispose();
        comms[1].Abort();
        comms[1].Dispose();
        Assert.Equal(liveBefore, standIn.IntControl(GpuLibrary.Nccl, "standin_nccl_live_comms"));
    }

    [Fact]
    public void StandIn_a_group_is_ended_even_when_issuing_throws()
    {
        _ = standIn;
        Assert.Throws<InvalidOperationException>(() => Nccl.Grouped(() => throw new InvalidOperationException("boom")));
        Assert.Equal(0, standIn.IntControl(GpuLibrary.Nccl, "standin_nccl_group_depth"));
    }
}
