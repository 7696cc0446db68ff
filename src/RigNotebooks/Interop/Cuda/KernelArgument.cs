namespace RigNotebooks.Interop.Cuda;

/// <summary>One kernel parameter value: a device pointer or a scalar, held in 8 bytes.</summary>
public readonly record struct KernelArgument(ulong Bits, int SizeBytes)
{
    /// <summary>A <c>.u64</c> / pointer parameter holding the buffer's device address.</summary>
    public static KernelArgument Pointer(DeviceBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        return new(buffer.Pointer, 8);
    }

    public static KernelArgument Int32(int value) => new(unchecked((uint)value), 4);

    public static KernelArgument UInt32(uint value) => new(value, 4);

    public static KernelArgument UInt64(ulong value) => new(value, 8);

    public static KernelArgument Int64(long value) => new(unchecked((ulong)value), 8);

    public static KernelArgument Float32(float value) => new(BitConverter.SingleToUInt32Bits(value), 4);

    public static KernelArgument Float64(double value) => new(BitConverter.DoubleToUInt64Bits(value), 8);
}
