using RigNotebooks.Data;
using RigNotebooks.Hardware;
using RigNotebooks.Interop.Nvml;
using RigNotebooks.Model;
using RigNotebooks.Probes;
using RigNotebooks.Tests.Support;

namespace RigNotebooks.Tests.Hardware;

/// <summary>The local description from hand-made NVML snapshots: what happens when NVML cannot answer.</summary>
public sealed class LocalDescriptionBuilderTests
{
    private static readonly LinuxHost X399 = LinuxHost.Read(new SystemRoot(RepoPaths.Fixture("sysfs-x399-3gpu")));

    private static NvmlGpuSnapshot Gpu(int index, string busId, string name = "NVIDIA GeForce RTX 3090", bool failing = false)
    {
        const string why = "nvmlDeviceGetSomething: Not Supported";
        return new NvmlGpuSnapshot(
            index,
            Readout<string>.Of(name),
            Readout<string>.Of($"GPU-{index}"),
            Readout<NvmlPciIdentity>.Of(new NvmlPciIdentity(busId, busId.ToUpperInvariant(), 0, 0, 0, 0x10de, 0x2204, 0)),
            failing ? Readout<string?>.Unavailable(why) : Readout<string?>.Of("Ampere"),
            failing ? Readout<GpuMemoryInfo>.Unavailable(why) : Readout<GpuMemoryInfo>.Of(new GpuMemoryInfo(24_000_000_000, 1, 1)),
            failing ? Readout<PcieLink>.Unavailable(why) : Readout<PcieLink>.Of(new PcieLink(4, 16, 4, 16)),
            failing ? Readout<PowerLimits>.Unavailable(why) : Readout<PowerLimits>.Of(new PowerLimits(100, 350, 350, 350)),
            Readout<string>.Unavailable(why));
    }

    [Fact]
    public void Failed_nvml_queries_fall_back_to_sysfs_the_catalog_and_proc_or_are_listed_unknown()
    {
        var snapshot = new NvmlSnapshot(
            Readout<string>.Unavailable("nvmlSystemGetDriverVersion: Unknown Error"),
            Readout<string>.Unavailable("nvmlSystemGetCudaDriverVersion_v2: Unknown Error"),
            [Gpu(0, "0000:0a:00.0", failing: true)],
            []);
        var d = LocalDescriptionBuilder.Build("local", snapshot, X399, ReferenceData.Default);
        var gpu = d.Gpus.Single();
        Assert.Equal(new PcieLink(1, 8, 3, 16), gpu.Link);                      // from sysfs
        Assert.Equal("Ampere", gpu.Architecture);                               // from data/gpus.json by name
        Assert.Equal(0, gpu.MemoryBytes);                                       // unknown, not invented
        Assert.True(double.IsNaN(gpu.PowerLimits.MaxW));
        Assert.Equal("535.154.05", d.Platform.DriverVersion);                   // from /proc/driver/nvidia/version
        Assert.Equal("unknown", d.Platform.CudaDriverVersion);
        Assert.Contains(d.Unknowns, u => u.Field == "gpus[0].link" && u.Reason.StartsWith("from sysfs", StringComparison.Ordinal));
        Assert.Contains(d.Unknowns, u => u.Field == "gpus[0].memoryBytes");
        Assert.Contains(d.Unknowns, u => u.Field == "gpus[0].powerLimits");
        Assert.Contains(d.Unknowns, u => u.Field == "platform.driverVersion" && u.Reason.Contains("/proc/driver/nvidia/version", StringComparison.Ordinal));
        Assert.Contains(d.Unknowns, u => u.Field == "platform.cudaDriverVersion");
    }

    [Fact]
    public void A_gpu_unknown_to_sysfs_and_the_catalog_keeps_placeholders_with_reasons()
    {
        var snapshot = new NvmlSnapshot(Readout<string>.Of("550.1"), Readout<string>.Of("12.4"), [Gpu(0, "0000:65:00.0", "Mystery GPU", failing: true)], []);
        var d = LocalDescriptionBuilder.Build("local", snapshot, X399, ReferenceData.Default);
        var gpu = d.Gpus.Single();
        Assert.Equal("unknown", gpu.Architecture);
        Assert.Equal(new PcieLink(0, 0, 0, 0), gpu.Link);
        Assert.Empty(gpu.UpstreamBridgeIds);
        Assert.Null(gpu.NumaNode);
        Assert.Contains(d.Unknowns, u => u.Field == "gpus[0].architecture" && u.Reason.Contains("Mystery GPU", StringComparison.Ordinal));
        Assert.Contains(d.Unknowns, u => u.Field == "gpus[0].link" && u.Reason.Contains("no link attributes", StringComparison.Ordinal));
        Assert.Contains(d.Unknowns, u => u.Field == "gpus[0].upstreamBridgeIds");
    }

    [Fact]
    public void Nvlink_status_makes_the_pair_an_nvlink_pair_and_missing_pairs_say_why()
    {
        var ok = Readout<NvmlP2PStatus>.Of(NvmlP2PStatus.Ok);
        var pairs = new List<NvmlPairSnapshot>
        {
            new(0, 1, Readout<NvmlTopologyLevel>.Of(NvmlTopologyLevel.HostBridge), ok, ok, ok, ok),
        };
        var snapshot = new NvmlSnapshot(Readout<string>.Of("535.154.05"), Readout<string>.Of("12.2"), [Gpu(0, "0000:09:00.0"), Gpu(1, "0000:0a:00.0")], pairs);
        var d = LocalDescriptionBuilder.Build("local", snapshot, X399, ReferenceData.Default);
        Assert.Equal(GpuRelation.NvLink, d.Pair(0, 1).Relation);
        Assert.True(d.Pair(0, 1).P2P.NvLink);
        Assert.True(d.Pair(0, 1).P2P.Atomics);
        Assert.Contains("over NVLink", d.Pair(0, 1).P2P.Reason, StringComparison.Ordinal);
        Assert.Equal(GpuRelation.HostBridge, d.Pair(1, 0).Relation); // no NVML answer: from sysfs
        Assert.Equal("no, because NVML could not tell: no NVML answer for this pair", d.Pair(1, 0).P2P.Reason);
    }

    [Theory]
    [InlineData(NvmlP2PStatus.Ok, "OK")]
    [InlineData(NvmlP2PStatus.ChipsetNotSupported, "not supported by the chipset")]
    [InlineData(NvmlP2PStatus.DisabledByRegkey, "disabled by a driver registry key")]
    [InlineData(NvmlP2PStatus.Unknown, "unknown")]
    public void P2p_statuses_read_as_words(NvmlP2PStatus status, string words) =>
        Assert.Equal(words, LocalDescriptionBuilder.Describe(status));
}
