using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RigNotebooks.Interop;
using RigNotebooks.Interop.Nccl;
using RigNotebooks.Interop.Nvml;
using RigNotebooks.Tests.Support;

namespace RigNotebooks.Tests.Interop;

/// <summary>Struct sizes and field offsets against the C headers' layouts: the numbers from nvml.h / nccl.h, and the
/// C compiler's layout of the same declarations (compiled into the stand-ins).</summary>
[Collection(StandInCollection.Name)]
public sealed class StructLayoutTests
{
    [Fact]
    public void Nvml_pci_info_v3_is_68_bytes_with_busId_at_36()
    {
        Assert.Equal(68, Unsafe.SizeOf<NvmlPciInfo>());
        Assert.Equal(68, Marshal.SizeOf<NvmlPciInfo>());
        Assert.Equal(16, Offset<NvmlPciInfo>(nameof(NvmlPciInfo.Domain)));
        Assert.Equal(28, Offset<NvmlPciInfo>(nameof(NvmlPciInfo.PciDeviceId)));
        Assert.Equal(32, Offset<NvmlPciInfo>(nameof(NvmlPciInfo.PciSubSystemId)));
        Assert.Equal(36, Offset<NvmlPciInfo>(nameof(NvmlPciInfo.BusId)));
    }

    [Fact]
    public void Nvml_field_value_is_40_bytes_with_the_union_at_32()
    {
        Assert.Equal(40, Unsafe.SizeOf<NvmlFieldValue>());
        Assert.Equal(8, Offset<NvmlFieldValue>(nameof(NvmlFieldValue.TimestampUs)));
        Assert.Equal(16, Offset<NvmlFieldValue>(nameof(NvmlFieldValue.LatencyUs)));
        Assert.Equal(24, Offset<NvmlFieldValue>(nameof(NvmlFieldValue.ValueType)));
        Assert.Equal(28, Offset<NvmlFieldValue>(nameof(NvmlFieldValue.Return)));
        Assert.Equal(32, Offset<NvmlFieldValue>(nameof(NvmlFieldValue.Value)));
        Assert.Equal(8, Unsafe.SizeOf<NvmlValue>());
    }

    [Fact]
    public void Nvml_memory_and_utilization_and_nccl_unique_id_sizes()
    {
        Assert.Equal(24, Unsafe.SizeOf<NvmlMemory>());
        Assert.Equal(8, Unsafe.SizeOf<NvmlUtilization>());
        Assert.Equal(128, Unsafe.SizeOf<NcclUniqueId>());
        Assert.Equal(128, Marshal.SizeOf<NcclUniqueId>());
    }

    [Fact]
    public void StandIn_C_compiler_layout_matches_the_CSharp_layout()
    {
        var s = StandInLibraries.Instance;
        Assert.Equal(Unsafe.SizeOf<NvmlPciInfo>(), s.IntControl(GpuLibrary.Nvml, "standin_sizeof_pci_info"));
        Assert.Equal(Offset<NvmlPciInfo>(nameof(NvmlPciInfo.BusId)), s.IntControl(GpuLibrary.Nvml, "standin_offsetof_pci_bus_id"));
        Assert.Equal(Offset<NvmlPciInfo>(nameof(NvmlPciInfo.PciDeviceId)), s.IntControl(GpuLibrary.Nvml, "standin_offsetof_pci_device_id"));
        Assert.Equal(Unsafe.SizeOf<NvmlFieldValue>(), s.IntControl(GpuLibrary.Nvml, "standin_sizeof_field_value"));
        Assert.Equal(Offset<NvmlFieldValue>(nameof(NvmlFieldValue.TimestampUs)), s.IntControl(GpuLibrary.Nvml, "standin_offsetof_field_timestamp"));
        Assert.Equal(Offset<NvmlFieldValue>(nameof(NvmlFieldValue.ValueType)), s.IntControl(GpuLibrary.Nvml, "standin_offsetof_field_value_type"));
        Assert.Equal(Offset<NvmlFieldValue>(nameof(NvmlFieldValue.Return)), s.IntControl(GpuLibrary.Nvml, "standin_offsetof_field_return"));
        Assert.Equal(Offset<NvmlFieldValue>(nameof(NvmlFieldValue.Value)), s.IntControl(GpuLibrary.Nvml, "standin_offsetof_field_value"));
        Assert.Equal(Unsafe.SizeOf<NvmlMemory>(), s.IntControl(GpuLibrary.Nvml, "standin_sizeof_memory"));
        Assert.Equal(Unsafe.SizeOf<NvmlUtilization>(), s.IntControl(GpuLibrary.Nvml, "standin_sizeof_utilization"));
        Assert.Equal(Unsafe.SizeOf<NcclUniqueId>(), s.IntControl(GpuLibrary.Nccl, "standin_sizeof_unique_id"));
        Assert.Equal(Unsafe.SizeOf<NcclConfigV21400>(), s.IntControl(GpuLibrary.Nccl, "standin_sizeof_config"));
        Assert.Equal(Offset<NcclConfigV21400>(nameof(NcclConfigV21400.Blocking)), s.IntControl(GpuLibrary.Nccl, "standin_offsetof_config_blocking"));
    }

    [Fact]
    public void Nccl_config_v21400_is_24_bytes_with_blocking_at_16_and_says_so_in_its_size_field()
    {
        Assert.Equal(24, Unsafe.SizeOf<NcclConfigV21400>());
        Assert.Equal(16, Offset<NcclConfigV21400>(nameof(NcclConfigV21400.Blocking)));
        var config = NcclConfigV21400.Create(blocking: false);
        Assert.Equal(24u, (uint)config.Size);
        Assert.Equal(0xcafebeefu, config.MagicValue);
        Assert.Equal(21400u, config.VersionValue);
        Assert.Equal(0, config.Blocking);
        Assert.Equal(int.MinValue, config.TailPadding);
    }

    private static int Offset<T>(string field) => (int)Marshal.OffsetOf<T>(field);
}
