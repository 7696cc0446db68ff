using RigNotebooks.Hardware;
using RigNotebooks.Interop;
using RigNotebooks.Tests.Support;

namespace RigNotebooks.Tests.Hardware;

/// <summary>The one-rank NCCL self-test (`rig train --nccl-selftest`) against the stand-in NCCL and CUDA driver:
/// that it runs every check through the non-blocking path, compares bit for bit, notices a wrong element, and frees
/// what it made. The stand-ins' "device memory" is host memory: no evidence about a GPU.</summary>
[Collection(StandInCollection.Name)]
public sealed class NcclSelfTestStandInTests
{
    private readonly StandInLibraries standIn = StandInLibraries.Instance;

    [Fact]
    public void StandIn_self_test_runs_every_check_on_the_non_blocking_path_and_frees_everything()
    {
        var comms = standIn.IntControl(GpuLibrary.Nccl, "standin_nccl_live_comms");
        var allocations = standIn.IntControl(GpuLibrary.Cuda, "standin_cuda_live_allocations");
        var configInits = standIn.IntControl(GpuLibrary.Nccl, "standin_nccl_config_inits");

        var result = NcclSelfTest.Run(device: 1, bytes: 4098, iterations: 5);

        Assert.True(result.Correct, string.Join("; ", result.Checks.Select(c => $"{c.Name}: {c.Correct} {c.Error}")));
        Assert.Equal("2.21.5", result.NcclVersion);
        Assert.Equal(standIn.NcclPath, result.NcclLibrary);
        Assert.Equal("Stand-in CUDA 1", result.DeviceName);
        Assert.True(result.NonBlocking);
        Assert.Equal(4096, result.Bytes); // whole float32 elements
        Assert.Equal(1024, result.Elements);
        Assert.Equal(
            ["all-reduce sum float32, out of place", "all-reduce sum float32, in place", "all-reduce avg (ncclAvg = 4) float32, out of place", "broadcast float32 from root 0, out of place"],
            result.Checks.Select(c => c.Name));
        Assert.Equal(5, result.Iterations);
        Assert.Equal(1250, result.MedianTimeUs, 6); // the stand-in's events always say 1.25 ms
        Assert.Equal(4096 / 1.25e-3 / 1e9, result.AlgBandwidthGBps, 9);
        Assert.True(result.ClosedCleanly);
        Assert.True(result.AbortWorked, result.AbortError);
        Assert.Equal(configInits + 2, standIn.IntControl(GpuLibrary.Nccl, "standin_nccl_config_inits")); // the checked communicator and the aborted one
        Assert.Equal(comms, standIn.IntControl(GpuLibrary.Nccl, "standin_nccl_live_comms"));
        Assert.Equal(allocations, standIn.IntControl(GpuLibrary.Cuda, "standin_cuda_live_allocations"));
    }

    [Fact]
    public unsafe void StandIn_self_test_reports_a_wrong_element_and_where()
    {
        ((delegate* unmanaged<long, void>)standIn.Control(GpuLibrary.Nccl, "standin_nccl_corrupt_next"))(5);
        var result = NcclSelfTest.Run(bytes: 1024, iterations: 1);
        Assert.False(result.Correct);
        var wrong = result.Checks[0];
        Assert.False(wrong.Correct);
        Assert.Equal(1, wrong.Mismatches);
        Assert.Equal(5, wrong.FirstWrongIndex);
        Assert.All(result.Checks.Skip(1), c => Assert.True(c.Correct));
    }

    [Fact]
    public void Pattern_is_exact_in_float32_and_repeats_every_251_elements()
    {
        var p = NcclSelfTest.Pattern(600);
        Assert.Equal(-31f, p[0]);
        Assert.Equal(p[3], p[254]);
        Assert.NotEqual(p[3], p[4]);
        Assert.All(p, v => Assert.Equal(v, (float)(double)v));
    }
}
