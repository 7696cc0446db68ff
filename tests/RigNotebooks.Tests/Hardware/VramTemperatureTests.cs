using RigNotebooks.Hardware;
using RigNotebooks.Probes;
using RigNotebooks.Tests.Probes;
using RigNotebooks.Tests.Support;

namespace RigNotebooks.Tests.Hardware;

public sealed class VramTemperatureTests
{
    private static readonly Readout<double> NoField = Readout<double>.Unavailable("nvmlDeviceGetFieldValues(NVML_FI_DEV_MEMORY_TEMP): Not Supported");

    [Theory]
    [InlineData(0x00000D00u, 104.0)]
    [InlineData(0xABCDED00u, 104.0)] // bits above the 12-bit field are ignored
    [InlineData(0x00000D10u, 104.5)]
    [InlineData(0x00000000u, 0.0)]
    public void Register_decodes_twelve_bits_over_32(uint raw, double celsius) =>
        Assert.Equal(celsius, VramJunctionRegister.Decode(raw));

    [Theory]
    [InlineData(0x00000FFFu)]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(0x00000FE0u)]
    public void A_127_degree_reading_means_a_wrong_offset(uint raw) =>
        Assert.Null(VramJunctionRegister.Decode(raw));

    [Fact]
    public void Nvml_field_wins_when_it_answers()
    {
        var plan = VramTemperaturePlan.Decide(Readout<double>.Of(90), devMemOptIn: false, isRoot: false, KernelLockdown.Integrity, 0x2204, null);
        Assert.Equal(VramTemperatureSource.NvmlField, plan.Source);
    }

    [Fact]
    public void Register_reader_is_opt_in()
    {
        var plan = VramTemperaturePlan.Decide(NoField, devMemOptIn: false, isRoot: true, KernelLockdown.None, 0x2204, 0xF6000000);
        Assert.Equal(VramTemperatureSource.Unsupported, plan.Source);
        Assert.Contains("RIG_VRAM_DEVMEM=1", plan.Reason, StringComparison.Ordinal);
        Assert.Contains("Not Supported", plan.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KernelLockdown.Integrity, "integrity")]
    [InlineData(KernelLockdown.Confidentiality, "confidentiality")]
    [InlineData(KernelLockdown.Unknown, "unknown")]
    public void Lockdown_is_refused_cleanly_before_touching_dev_mem(KernelLockdown lockdown, string word)
    {
        var plan = VramTemperaturePlan.Decide(NoField, devMemOptIn: true, isRoot: true, lockdown, 0x2204, 0xF6000000);
        Assert.Equal(VramTemperatureSource.Unsupported, plan.Source);
        Assert.Contains($"kernel lockdown ({word})", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_root_unknown_chips_and_unknown_bars_are_refused_with_reasons()
    {
        Assert.Contains("needs root", VramTemperaturePlan.Decide(NoField, true, false, KernelLockdown.None, 0x2204, 0xF6000000).Reason, StringComparison.Ordinal);
        Assert.Contains("0x2482", VramTemperaturePlan.Decide(NoField, true, true, KernelLockdown.None, 0x2482, 0xF6000000).Reason, StringComparison.Ordinal);
        Assert.Contains("BAR0", VramTemperaturePlan.Decide(NoField, true, true, KernelLockdown.NotAvailable, 0x2204, null).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Opted_in_root_without_lockdown_reads_bar0_plus_the_offset()
    {
        var plan = VramTemperaturePlan.Decide(NoField, true, true, KernelLockdown.NotAvailable, 0x2684, 0xF6000000);
        Assert.Equal(VramTemperatureSource.DevMemRegister, plan.Source);
        Assert.Equal(0xF600E2A8UL, plan.PhysicalAddress);
        Assert.Contains("AD102 RTX 4090", plan.Reason, StringComparison.Ordinal);

        var reader = new VramTemperatureReader(plan, null, new FakeMemory(0xF600E2A8UL, 0x00000D00));
        Assert.Equal(104.0, reader.Read().Value);
        var wrong = new VramTemperatureReader(plan, null, new FakeMemory(0xF600E2A8UL, 0x00000FFF));
        Assert.Contains("offset is wrong", wrong.Read().WhyNot, StringComparison.Ordinal);
    }

    [Fact]
    public void Bar0_and_lockdown_come_from_sysfs_fixture_files()
    {
        var copy = HostProbeTests.CopyFixture("sysfs-x399-3gpu");
        try
        {
            File.WriteAllText(Path.Combine(copy, "sys/kernel/security/lockdown"), "none [integrity] confidentiality\n");
            var host = LinuxHost.Read(new SystemRoot(copy));
            var gpu = host.Pci.Find("0000:09:00.0")!;
            Assert.Equal(0xF6000000UL, VramTemperatureReader.Bar0(host.Root, gpu));
            Assert.Null(VramTemperatureReader.Bar0(host.Root, host.Pci.Find("0000:09:00.1")!));
            Assert.Equal(KernelLockdown.Integrity, host.Lockdown);
            var plan = VramTemperaturePlan.Decide(NoField, true, true, host.Lockdown, gpu.DeviceId, VramTemperatureReader.Bar0(host.Root, gpu));
            Assert.Equal(VramTemperatureSource.Unsupported, plan.Source);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private sealed class FakeMemory(ulong expectedAddress, uint value) : IPhysicalMemory
    {
        public uint Read32(ulong physicalAddress)
        {
            Assert.Equal(expectedAddress, physicalAddress);
            return value;
        }
    }
}
