namespace RigNotebooks.Hardware;

/// <summary>
/// The GDDR6/GDDR6X junction temperature register of GA102 and AD10x GPUs, read through BAR0 (REFERENCE.md §2, after the
/// device table of olealgoritme/gddr6): offset 0xE2A8, °C = (raw &amp; 0xfff) / 32. A reading of 127 °C (all 12 bits
/// set) means the register is not there — the wrong offset for this chip — and is rejected, not reported.
/// </summary>
public static class VramJunctionRegister
{
    public const uint Offset = 0x0000E2A8;

    /// <summary>(raw &amp; 0xfff) / 32 of an all-ones register: the value that means "wrong offset".</summary>
    public const double WrongOffsetC = 127;

    /// <summary>PCI device ids (vendor 0x10de) known to expose the register at <see cref="Offset"/>.</summary>
    public static readonly IReadOnlyDictionary<ushort, string> KnownDevices = new Dictionary<ushort, string>
    {
        [0x2204] = "GA102 RTX 3090",
        [0x2206] = "GA102 RTX 3080",
        [0x2208] = "GA102 RTX 3080 Ti",
        [0x2216] = "GA102 RTX 3080 LHR",
        [0x2232] = "GA102 RTX A4500",
        [0x2684] = "AD102 RTX 4090",
        [0x26B1] = "AD102 RTX 6000 Ada",
        [0x2704] = "AD103 RTX 4080",
        [0x2782] = "AD104 RTX 4070 Ti",
        [0x2786] = "AD104 RTX 4070",
        [0x27B8] = "AD104 L4",
    };

    /// <summary>Degrees Celsius from the raw register, or null when the value says the offset is wrong.</summary>
    public static double? Decode(uint raw)
    {
        var celsius = (raw & 0xfff) / 32.0;
        return celsius >= WrongOffsetC ? null : celsius;
    }
}
