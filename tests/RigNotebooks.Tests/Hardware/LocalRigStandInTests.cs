using RigNotebooks.Data;
using RigNotebooks.Doctor;
using RigNotebooks.Hardware;
using RigNotebooks.Model;
using RigNotebooks.Rigs;
using RigNotebooks.Tests.Support;

namespace RigNotebooks.Tests.Hardware;

/// <summary>The local rig end to end over the stand-in NVML (invented values) and the X399 fixture tree: how NVML
/// answers, NVML failures and sysfs combine into a description. Not evidence about GPUs.</summary>
[Collection(StandInCollection.Name)]
public sealed class LocalRigStandInTests
{
    private static LocalRig OpenOnX399()
    {
        _ = StandInLibraries.Instance;
        return LocalRig.Open(RigOpenOptions.Default, new LocalRigOptions(RepoPaths.Fixture("sysfs-x399-3gpu")));
    }

    [Fact]
    public void StandIn_local_rig_describes_gpus_from_nvml_and_bridges_from_sysfs()
    {
        using var rig = OpenOnX399();
        var d = rig.Describe();
        Assert.Equal("local", d.RigId);
        Assert.Equal(DataSource.Measured, d.Source);
        Assert.Equal(DataSource.Measured, rig.Source);
        Assert.Equal(["0000:09:00.0", "0000:0a:00.0", "0000:41:00.0"], d.Gpus.Select(g => g.PciBusId));
        Assert.Equal(["Stand-in GPU 0", "Stand-in GPU 1", "Stand-in GPU 2"], d.Gpus.Select(g => g.Name));
        Assert.All(d.Gpus, g => Assert.Equal("Ampere", g.Architecture));
        Assert.All(d.Gpus, g => Assert.Equal(25769803776L, g.MemoryBytes));
        Assert.All(d.Gpus, g => Assert.Null(g.Serial));
        Assert.Equal(new PowerLimits(100, 350, 400, 285), d.Gpus[0].PowerLimits);
        Assert.Equal(new PcieLink(1, 8, 3, 16), d.Gpus[1].Link);
        Assert.Equal(["0000:00:03.1", "pci0000:00"], d.Gpus[1].UpstreamBridgeIds);
        Assert.Equal([0, 0, 1], d.Gpus.Select(g => g.NumaNode ?? -1));
        Assert.Contains(d.Bridges, b => b.Id == "pci0000:40" && b.Kind == BridgeKind.HostBridge);
    }

    [Fact]
    public void StandIn_pairs_use_nvml_where_it_answers_and_sysfs_where_it_does_not()
    {
        using var rig = OpenOnX399();
        var d = rig.Describe();
        var p01 = d.Pair(0, 1);
        Assert.Equal(GpuRelation.HostBridge, p01.Relation);
        Assert.True(p01.P2P.Supported);
        Assert.False(p01.P2P.NvLink);
        Assert.False(p01.P2P.Atomics);
        Assert.StartsWith("reported by driver 999.12.34", p01.P2P.Reason, StringComparison.Ordinal);

        var p02 = d.Pair(0, 2);
        Assert.Equal(GpuRelation.AcrossNumaNodes, p02.Relation); // NVML said "not supported"; sysfs: different dies and NUMA nodes
        Assert.False(p02.P2P.Supported);
        Assert.StartsWith("no, because driver 999.12.34 reports read not supported by the chipset", p02.P2P.Reason, StringComparison.Ordinal);
        Assert.Contains(d.Unknowns, u => u.Field == "pairs[0,2].relation" && u.Reason.Contains("Not Supported", StringComparison.Ordinal));
        Assert.Equal(GpuRelation.Self, d.Pair(2, 2).Relation);
    }

    [Fact]
    public void StandIn_platform_comes_from_the_probes_and_unknowns_say_why()
    {
        using var rig = OpenOnX399();
        var d = rig.Describe();
        var p = d.Platform;
        Assert.Equal("AMD Ryzen Threadripper 1920X 12-Core Processor", p.CpuModel);
        Assert.Equal(ReferenceData.Default.FindCpu(p.CpuModel)!.PcieLanesUsable, p.CpuPcieLanesUsable);
        Assert.Equal(IommuMode.Passthrough, p.Iommu);
        Assert.Equal("999.12.34", p.DriverVersion); // NVML's answer wins over /proc's 535.154.05
        Assert.Equal("12.2", p.CudaDriverVersion);
        Assert.Equal(2, p.NumaNodes);
        Assert.Equal("deeplearning-rig", p.Hostname);
        Assert.Contains("iommu=pt", p.KernelCommandLine, StringComparison.Ordinal);
        Assert.Null(p.OtherCpuLanesUsed);
        Assert.Contains(d.Unknowns, u => u.Field == "bridges.acs" && u.Reason.Contains("needs root", StringComparison.Ordinal));
        Assert.Contains(d.Unknowns, u => u.Field == "psus");
        Assert.Empty(d.Psus);
        Assert.Null(d.Cooling);
    }

    [Fact]
    public void StandIn_doctor_runs_on_the_local_description()
    {
        using var rig = OpenOnX399();
        var findings = RigDoctor.Standard.Examine(new DoctorInput(rig.Describe(), new Dictionary<string, string>(), ReferenceData.Default));
        Assert.Contains(findings, f => f.Code == "link-below-max" && f.Title.Contains("GPU 1", StringComparison.Ordinal) && f.Severity == Severity.Warning);
        Assert.Contains(findings, f => f.Code == "acs-unknown");
    }

    [Fact]
    public void StandIn_capabilities_without_an_implementation_say_so()
    {
        using var rig = OpenOnX399();
        var capability = rig.Get<IDisposable>();
        Assert.False(capability.IsAvailable);
        Assert.Contains("no implementation of IDisposable", capability.WhyNot, StringComparison.Ordinal);
    }

    [Fact]
    public void StandIn_cuda_devices_are_matched_to_rig_gpus_by_pci_bus_id_not_ordinal()
    {
        using var rig = OpenOnX399();
        Assert.Equal(1, rig.CudaDevice(0).Ordinal); // the stand-in's CUDA order puts 0000:0a first
        Assert.Equal(0, rig.CudaDevice(1).Ordinal);
        var missing = Assert.Throws<Errors.RigEnvironmentException>(() => rig.CudaDevice(2));
        Assert.Contains("0000:41:00.0", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StandIn_vram_temperature_uses_the_nvml_field_where_it_answers()
    {
        using var rig = OpenOnX399();
        var withField = rig.VramTemperature(1);
        Assert.Equal(VramTemperatureSource.NvmlField, withField.Plan.Source);
        Assert.Equal(84.0, withField.Read().Value);
        var without = rig.VramTemperature(0);
        Assert.Equal(VramTemperatureSource.Unsupported, without.Plan.Source);
        Assert.False(without.Read().HasValue);
        Assert.Contains(LocalRigOptions.VramDevMemVariable, without.Read().WhyNot, StringComparison.Ordinal);
    }

    [Fact]
    public void StandIn_local_is_a_built_in_rig_kind()
    {
        Assert.Contains("local", RigSelector.KnownKinds);
    }
}
