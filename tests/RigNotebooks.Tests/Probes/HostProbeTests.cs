using RigNotebooks.Model;
using RigNotebooks.Probes;
using RigNotebooks.Tests.Support;

namespace RigNotebooks.Tests.Probes;

public sealed class HostProbeTests
{
    [Fact]
    public void X399_host_snapshot_reads_every_probe()
    {
        var host = LinuxHost.Read(new SystemRoot(RepoPaths.Fixture("sysfs-x399-3gpu")));
        Assert.Equal("AMD Ryzen Threadripper 1920X 12-Core Processor", host.Cpu.Model);
        Assert.Equal(2, host.Cpu.LogicalCpus);
        Assert.Equal("Gigabyte Technology Co., Ltd. X399 AORUS PRO-CF", host.Board);
        Assert.Equal("Ubuntu 22.04.3 LTS", host.Os);
        Assert.Equal("deeplearning-rig", host.Hostname);
        Assert.Equal(2, host.NumaNodes);
        Assert.Equal(KernelLockdown.None, host.Lockdown);
        Assert.Equal("535.154.05", host.NvidiaModule!.Version);
        Assert.False(host.NvidiaModule.OpenKernelModule);
        Assert.Equal(IommuMode.Passthrough, host.Iommu.Mode);
        Assert.Equal(["ivhd0", "ivhd1"], host.Iommu.Units);
        Assert.Equal(9, host.Iommu.GroupCount);
        Assert.Equal("identity", host.Iommu.GpuGroupTypes["0000:41:00.0"]);
        Assert.Equal(["amd_iommu=on", "iommu=pt"], host.CommandLine.IommuWords);
    }

    [Fact]
    public void This_vm_real_files_give_iommu_off_no_driver_and_the_real_command_line()
    {
        var host = LinuxHost.Read(new SystemRoot(RepoPaths.Fixture("sysfs-this-vm")));
        Assert.Equal("AMD EPYC", host.Cpu.Model);
        Assert.Equal(IommuMode.Off, host.Iommu.Mode);
        Assert.Empty(host.Iommu.Units);
        Assert.Equal(KernelLockdown.NotAvailable, host.Lockdown);
        Assert.Null(host.NvidiaModule);
        Assert.Null(host.Board);
        Assert.Equal(1, host.NumaNodes);
        Assert.Equal("ttyS0", host.CommandLine.Value("console"));
        Assert.Null(host.CommandLine.Value("addr")); // after the lone "--": init's arguments, not the kernel's
        Assert.True(host.CommandLine.HasFlag("quiet"));
        Assert.StartsWith("mitigations=auto", host.CommandLine.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_root_reads_as_unknowns_not_errors()
    {
        var empty = Directory.CreateTempSubdirectory("rig-empty-root-");
        try
        {
            var host = LinuxHost.Read(new SystemRoot(empty.FullName));
            Assert.Null(host.Cpu.Model);
            Assert.Empty(host.Pci.Devices);
            Assert.Equal(IommuMode.Unknown, host.Iommu.Mode);
            Assert.Null(host.NumaNodes);
            Assert.Equal(string.Empty, host.CommandLine.Text);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public void Acs_is_read_when_root_can_see_the_extended_configuration_space()
    {
        var copy = CopyFixture("sysfs-x399-3gpu");
        try
        {
            var port = Path.Combine(copy, "sys/devices/pci0000:00/0000:00:03.1/config");
            File.WriteAllBytes(port, PciConfigSpaceTests.RootView(PciePortType.RootPort, 0x001d));
            var tree = PciTree.Read(new SystemRoot(copy));
            var topology = PcieTopologyBuilder.Build(tree, tree.NvidiaGpus.Select(g => g.Address));
            Assert.True(topology.Bridges.Single(b => b.Id == "0000:00:03.1").AcsEnabled);
            Assert.Null(topology.Bridges.Single(b => b.Id == "0000:00:01.1").AcsEnabled);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>Copies a fixture tree with its symbolic links intact (cp -a).</summary>
    internal static string CopyFixture(string name)
    {
        var target = Path.Combine(Path.GetTempPath(), $"rig-fixture-{Guid.NewGuid():N}");
        var cp = ChildProcess.Run("cp", ["-a", RepoPaths.Fixture(name), target], TimeSpan.FromSeconds(60));
        Assert.True(cp.ExitCode == 0, cp.ToString());
        return target;
    }
}
