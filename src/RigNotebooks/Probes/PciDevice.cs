namespace RigNotebooks.Probes;

/// <summary>One PCI function as sysfs shows it.</summary>
/// <param name="Address">"0000:0a:00.0".</param>
/// <param name="ClassCode">24-bit class: 0x030000 VGA, 0x030200 3D controller, 0x060400 PCI bridge.</param>
/// <param name="NumaNode">Null when sysfs says -1 (no affinity, or a single-node machine) or does not say.</param>
/// <param name="Ancestors">The PCI functions above this one, nearest first (bridges), from the device's sysfs path.</param>
/// <param name="RootBus">The host bridge's sysfs name, e.g. "pci0000:00".</param>
/// <param name="Link">The link attributes sysfs reports for this function (its own end of the link).</param>
/// <param name="Config">As many bytes of the configuration space as this user may read.</param>
public sealed record PciDevice(
    string Address,
    ushort VendorId,
    ushort DeviceId,
    uint ClassCode,
    int? NumaNode,
    IReadOnlyList<string> Ancestors,
    string? RootBus,
    PciLinkAttributes Link,
    string? Driver,
    int? IommuGroup,
    string SysfsPath,
    PciConfigSpace Config)
{
    public const ushort NvidiaVendorId = 0x10de;

    public bool IsBridge => ClassCode >> 8 == 0x0604;

    /// <summary>An NVIDIA display or 3D controller (the audio function of a GeForce card is not a GPU).</summary>
    public bool IsNvidiaGpu => VendorId == NvidiaVendorId && ClassCode >> 16 == 0x03;
}

/// <summary>sysfs <c>current_link_speed/width</c> and <c>max_link_speed/width</c>, parsed; null where absent or unknown.
/// The max attributes are this function's own capability, not the link's: the link's maximum is the lesser of both ends.</summary>
public sealed record PciLinkAttributes(int? CurrentGen, int? CurrentWidth, int? MaxGen, int? MaxWidth)
{
    public static PciLinkAttributes None { get; } = new(null, null, null, null);

    public bool IsComplete => CurrentGen is not null && CurrentWidth is not null && MaxGen is not null && MaxWidth is not null;
}
