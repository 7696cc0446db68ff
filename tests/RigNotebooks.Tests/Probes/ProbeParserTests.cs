using RigNotebooks.Model;
using RigNotebooks.Probes;

namespace RigNotebooks.Tests.Probes;

public sealed class ProbeParserTests
{
    [Theory]
    [InlineData("2.5 GT/s PCIe", 1)]
    [InlineData("5.0 GT/s PCIe", 2)]
    [InlineData("8.0 GT/s PCIe", 3)]
    [InlineData("8 GT/s", 3)]
    [InlineData("16.0 GT/s PCIe", 4)]
    [InlineData("32.0 GT/s PCIe", 5)]
    [InlineData("64.0 GT/s PCIe", 6)]
    [InlineData("Unknown", null)]
    [InlineData("Unknown speed", null)]
    [InlineData("", null)]
    public void Link_speed_text_maps_to_a_generation(string text, int? generation) =>
        Assert.Equal(generation, PcieLinkSpeed.Generation(text));

    [Theory]
    [InlineData("16\n", 16)]
    [InlineData("0", null)]
    [InlineData("x", null)]
    public void Link_width_text_is_decimal_and_zero_means_down(string text, int? width) =>
        Assert.Equal(width, PcieLinkSpeed.Width(text));

    [Theory]
    [InlineData("00000000:0A:00.0", "0000:0a:00.0")]
    [InlineData("0000:0A:00.0", "0000:0a:00.0")]
    [InlineData("0000:0a:00.1", "0000:0a:00.1")]
    [InlineData("10000:e1:00.0", "10000:e1:00.0")]
    [InlineData("pci0000:00", "pci0000:00")]
    public void Pci_addresses_normalise_to_the_sysfs_spelling(string text, string expected) =>
        Assert.Equal(expected, PciAddress.Normalize(text));

    [Fact]
    public void Pci_address_rejects_an_impossible_device_number() =>
        Assert.False(PciAddress.TryParse("0000:00:20.0", out _));

    [Fact]
    public void Proprietary_and_open_module_version_lines_parse()
    {
        var proprietary = NvidiaDriverProbe.Parse("NVRM version: NVIDIA UNIX x86_64 Kernel Module  545.29.06  Thu Nov 16 01:59:08 UTC 2023\nGCC version:  gcc version 12.3.0\n")!;
        Assert.Equal("545.29.06", proprietary.Version);
        Assert.False(proprietary.OpenKernelModule);
        var open = NvidiaDriverProbe.Parse("NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  570.86.15  Release Build  (dvs-builder@U16-I3-B03-4-3)  Thu Jan 23 17:17:05 UTC 2025\n")!;
        Assert.Equal("570.86.15", open.Version);
        Assert.True(open.OpenKernelModule);
        Assert.Null(NvidiaDriverProbe.Parse("garbage"));
        Assert.Null(NvidiaDriverProbe.Parse(null));
    }

    [Theory]
    [InlineData("[none] integrity confidentiality", KernelLockdown.None)]
    [InlineData("none [integrity] confidentiality\n", KernelLockdown.Integrity)]
    [InlineData("none integrity [confidentiality]", KernelLockdown.Confidentiality)]
    [InlineData("none integrity", KernelLockdown.Unknown)]
    public void Lockdown_mode_is_the_bracketed_word(string text, KernelLockdown mode) =>
        Assert.Equal(mode, LockdownProbe.Parse(text));

    [Fact]
    public void Cpuinfo_without_a_model_name_is_unknown()
    {
        var arm = CpuInfoProbe.Parse("processor\t: 0\nBogoMIPS\t: 50.00\nCPU implementer\t: 0x41\n\nprocessor\t: 1\n");
        Assert.Null(arm.Model);
        Assert.Equal(2, arm.LogicalCpus);
    }

    [Fact]
    public void Command_line_takes_the_last_value_and_stops_at_a_lone_double_dash()
    {
        var cmd = new KernelCommandLine("ro iommu=off quiet iommu=pt intel_iommu=on,sm_on -- iommu=off");
        Assert.Equal("pt", cmd.Value("iommu"));
        Assert.Equal(["iommu=off", "iommu=pt", "intel_iommu=on,sm_on"], cmd.IommuWords);
        Assert.True(cmd.HasFlag("quiet"));
    }

    [Theory]
    [InlineData(0, 0, true, "", "ro quiet", IommuMode.Off)]
    [InlineData(0, 0, false, "", "ro quiet", IommuMode.Unknown)]
    [InlineData(0, 0, false, "", "amd_iommu=off", IommuMode.Off)]
    [InlineData(2, 9, true, "", "amd_iommu=on", IommuMode.Translating)]
    [InlineData(2, 9, true, "", "amd_iommu=on iommu=pt", IommuMode.Passthrough)]
    [InlineData(1, 40, true, "", "intel_iommu=on iommu.passthrough=1", IommuMode.Passthrough)]
    [InlineData(2, 9, true, "DMA-FQ", "iommu=pt", IommuMode.Translating)]
    [InlineData(2, 9, true, "identity", "amd_iommu=on", IommuMode.Passthrough)]
    [InlineData(2, 9, true, "DMA", "", IommuMode.Translating)]
    public void Iommu_mode_prefers_the_gpu_group_type_then_the_command_line(int units, int groups, bool visible, string gpuType, string cmd, IommuMode expected)
    {
        var types = gpuType.Length == 0 ? [] : new[] { gpuType };
        Assert.Equal(expected, IommuProbe.Decide(units, groups, visible, types, new KernelCommandLine(cmd)));
    }
}
