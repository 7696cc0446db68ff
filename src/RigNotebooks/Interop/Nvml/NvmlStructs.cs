using System.Runtime.InteropServices;

namespace RigNotebooks.Interop.Nvml;

// Layouts from nvml.h; tests check size and offsets against the C compiler's layout of the same declarations.

/// <summary><c>nvmlPciInfo_t</c> as filled by <c>nvmlDeviceGetPciInfo_v3</c> (68 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NvmlPciInfo
{
    public const int BusIdLegacySize = 16; // NVML_DEVICE_PCI_BUS_ID_BUFFER_V2_SIZE
    public const int BusIdSize = 32;       // NVML_DEVICE_PCI_BUS_ID_BUFFER_SIZE

    public fixed byte BusIdLegacy[BusIdLegacySize];
    public uint Domain;
    public uint Bus;
    public uint Device;

    /// <summary>The 16-bit device id in the high half, the 16-bit vendor id in the low half.</summary>
    public uint PciDeviceId;
    public uint PciSubSystemId;
    public fixed byte BusId[BusIdSize];

    public readonly string BusIdText()
    {
        fixed (byte* p = BusId)
        {
            return NativeText.FromBuffer(p, BusIdSize);
        }
    }
}

/// <summary><c>nvmlMemory_t</c> (v1): bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlMemory
{
    public ulong Total;
    public ulong Free;
    public ulong Used;
}

/// <summary><c>nvmlUtilization_t</c>: percent of the last sample period.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlUtilization
{
    public uint Gpu;
    public uint Memory;
}

/// <summary><c>nvmlValue_t</c>: an 8-byte union.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
internal struct NvmlValue
{
    [FieldOffset(0)]
    public double DoubleValue;

    [FieldOffset(0)]
    public uint UIntValue;

    [FieldOffset(0)]
    public ulong ULongValue;

    [FieldOffset(0)]
    public long LongValue;

    [FieldOffset(0)]
    public int IntValue;

    [FieldOffset(0)]
    public ushort UShortValue;

    public readonly double ToDouble(NvmlValueType type) => type switch
    {
        NvmlValueType.Double => DoubleValue,
        NvmlValueType.UnsignedInt => UIntValue,
        NvmlValueType.UnsignedLong or NvmlValueType.UnsignedLongLong => ULongValue,
        NvmlValueType.SignedLongLong => LongValue,
        NvmlValueType.SignedInt => IntValue,
        NvmlValueType.UnsignedShort => UShortValue,
        _ => double.NaN,
    };
}

/// <summary><c>nvmlFieldValue_t</c> (40 bytes): one field request and its answer.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NvmlFieldValue
{
    public uint FieldId;
    public uint ScopeId;
    public long TimestampUs;
    public long LatencyUs;
    public NvmlValueType ValueType;
    public NvmlReturn Return;
    public NvmlValue Value;
}
