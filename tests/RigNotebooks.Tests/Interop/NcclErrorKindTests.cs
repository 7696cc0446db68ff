using RigNotebooks.Errors;
using RigNotebooks.Interop.Nccl;

namespace RigNotebooks.Tests.Interop;

/// <summary>Which neutral <see cref="GpuErrorKind"/> each NCCL result code maps to (no native library involved).</summary>
public sealed class NcclErrorKindTests
{
    public static TheoryData<NcclResult, GpuErrorKind> Kinds => new()
    {
        { NcclResult.UnhandledCudaError, GpuErrorKind.Other }, // which CUDA error is not said
        { NcclResult.SystemError, GpuErrorKind.SystemError },
        { NcclResult.InternalError, GpuErrorKind.Other },
        { NcclResult.InvalidArgument, GpuErrorKind.InvalidUsage },
        { NcclResult.InvalidUsage, GpuErrorKind.InvalidUsage },
        { NcclResult.RemoteError, GpuErrorKind.RemoteError },
        { NcclResult.InProgress, GpuErrorKind.InProgress },
        { NcclResult.Timeout, GpuErrorKind.Other },
        { (NcclResult)42, GpuErrorKind.Other }, // a code from a newer NCCL
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_nccl_code_maps_to_its_kind(NcclResult code, GpuErrorKind kind) => Assert.Equal(kind, NcclErrors.KindOf(code));

    [Fact]
    public void Every_failure_code_of_nccl_h_is_in_the_table()
    {
        var listed = Kinds.Select(row => (NcclResult)row[0]).ToHashSet();
        Assert.All(Enum.GetValues<NcclResult>().Where(r => r != NcclResult.Success), r => Assert.Contains(r, listed));
    }
}
