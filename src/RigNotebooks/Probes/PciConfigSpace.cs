using System.Buffers.Binary;

namespace RigNotebooks.Probes;

/// <summary>What the PCIe capability says a device is (bits 7:4 of the PCI Express Capabilities register).</summary>
public enum PciePortType
{
    Endpoint = 0,
    LegacyEndpoint = 1,
    RootPort = 4,
    SwitchUpstream = 5,
    SwitchDownstream = 6,
    PcieToPciBridge = 7,
    PciToPcieBridge = 8,
    RootComplexIntegratedEndpoint = 9,
    RootComplexEventCollector = 10,
}

/// <summary>Access Control Services control bits (PCIe base spec, ACS Control Register), as lspci prints them in <c>ACSCtl:</c>.</summary>
[Flags]
public enum AcsControl : ushort
{
    None = 0,
    SourceValidation = 0x01,
    TranslationBlocking = 0x02,
    P2PRequestRedirect = 0x04,
    P2PCompletionRedirect = 0x08,
    UpstreamForwarding = 0x10,
    P2PEgressControl = 0x20,
    DirectTranslatedP2P = 0x40,
}

/// <summary>A device's ACS state read from its configuration space, or why it could not be read.</summary>
public sealed record AcsState(AcsControl? Control, string? WhyUnknown)
{
    /// <summary>Whether ACS redirects peer traffic upstream (request/completion redirect or egress control on):
    /// null when the control register could not be read or the device has no ACS capability.</summary>
    public bool? RedirectsPeerTraffic => Control is { } c
        ? (c & (AcsControl.P2PRequestRedirect | AcsControl.P2PCompletionRedirect | AcsControl.P2PEgressControl)) != 0
        : null;

    /// <summary>lspci's spelling, e.g. "SrcValid+ TransBlk- ReqRedir+ CmpltRedir+ UpstreamFwd+ EgressCtrl- DirectTrans-".</summary>
    public string Describe() => Control is { } c
        ? string.Join(' ', new (AcsControl Bit, string Name)[]
        {
            (AcsControl.SourceValidation, "SrcValid"),
            (AcsControl.TranslationBlocking, "TransBlk"),
            (AcsControl.P2PRequestRedirect, "ReqRedir"),
            (AcsControl.P2PCompletionRedirect, "CmpltRedir"),
            (AcsControl.UpstreamForwarding, "UpstreamFwd"),
            (AcsControl.P2PEgressControl, "EgressCtrl"),
            (AcsControl.DirectTranslatedP2P, "DirectTrans"),
        }.Select(b => b.Name + ((c & b.Bit) != 0 ? "+" : "-")))
        : $"unknown: {WhyUnknown}";
}

/// <summary>
/// Reads a PCI configuration space as sysfs exposes it (<c>/sys/bus/pci/devices/*/config</c>). The kernel gives an
/// unprivileged reader only the first 64 bytes (the standard header); capabilities (from 0x40) and the extended
/// space (from 0x100, where ACS lives) need root. So an ACS answer from a non-root run is "unknown, needs root".
/// </summary>
public sealed class PciConfigSpace
{
    private const int StandardHeaderBytes = 64;
    private const int ExtendedStart = 0x100;
    private const byte CapabilityPcie = 0x10;
    private const ushort ExtendedCapabilityAcs = 0x000D;

    private readonly byte[] bytes;

    public PciConfigSpace(byte[] bytes)
    {
        this.bytes = bytes ?? [];
    }

    public int Length => bytes.Length;

    public ushort VendorId => Read16(0x00) ?? 0xffff;

    public ushort DeviceId => Read16(0x02) ?? 0xffff;

    /// <summary>The header type without the multi-function bit: 0 = endpoint, 1 = PCI-to-PCI bridge.</summary>
    public int? HeaderType => bytes.Length > 0x0e ? bytes[0x0e] & 0x7f : null;

    /// <summary>The PCIe port type from the PCI Express capability, or null when the capability list is not readable (non-root) or absent.</summary>
    public PciePortType? PortType
    {
        get
        {
            var cap = FindCapability(CapabilityPcie);
            return cap is { } offset && Read16(offset + 2) is { } flags ? (PciePortType)((flags >> 4) & 0xf) : null;
        }
    }

    /// <summary>The ACS control register, or why it cannot be told.</summary>
    public AcsState Acs()
    {
        if (bytes.Length <= StandardHeaderBytes)
        {
            return new AcsState(null, "needs root: only the 64-byte standard header of the configuration space is readable without it");
        }

        if (bytes.Length <= ExtendedStart)
        {
            return new AcsState(null, "the extended configuration space (from 0x100) is not available (needs root and PCIe extended config access)");
        }

        var offset = ExtendedStart;
        for (var guard = 0; guard < 64 && offset >= ExtendedStart && offset + 8 <= bytes.Length; guard++)
        {
            var header = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset, 4));
            if (header is 0 or 0xffffffff)
            {
                break;
            }

            if ((header & 0xffff) == ExtendedCapabilityAcs)
            {
                return new AcsState((AcsControl)BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 6, 2)), null);
            }

            offset = (int)(header >> 20) & 0xffc;
        }

        return new AcsState(AcsControl.None, null);
    }

    private int? FindCapability(byte id)
    {
        const int statusCapabilitiesList = 0x10;
        if (bytes.Length <= StandardHeaderBytes || Read16(0x06) is not { } status || (status & statusCapabilitiesList) == 0)
        {
            return null;
        }

        var offset = bytes[0x34] & 0xfc;
        for (var guard = 0; guard < 48 && offset >= StandardHeaderBytes && offset + 2 <= bytes.Length; guard++)
        {
            if (bytes[offset] == id)
            {
                return offset;
            }

            offset = bytes[offset + 1] & 0xfc;
        }

        return null;
    }

    private ushort? Read16(int offset) =>
        offset + 2 <= bytes.Length ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset, 2)) : null;
}
