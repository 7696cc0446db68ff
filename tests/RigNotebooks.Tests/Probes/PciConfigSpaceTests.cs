using System.Buffers.Binary;
using RigNotebooks.Probes;

namespace RigNotebooks.Tests.Probes;

public sealed class PciConfigSpaceTests
{
    /// <summary>A 4096-byte configuration space as root reads it: a PCIe capability at 0x40 and, when asked, an ACS
    /// extended capability at 0x148 behind an AER capability at 0x100 (the usual order on AMD root ports).</summary>
    internal static byte[] RootView(PciePortType portType, ushort? acsControl)
    {
        var b = new byte[4096];
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(0), 0x1022);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2), 0x1453);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(6), 0x0010);
        b[0x0e] = 0x01;
        b[0x34] = 0x50;
        b[0x50] = 0x01;  // power management capability ...
        b[0x51] = 0x58;  // ... next: PCI Express
        b[0x58] = 0x10;
        b[0x59] = 0x00;
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(0x5a), (ushort)(((int)portType << 4) | 0x2));
        var next = acsControl is null ? 0 : 0x148;
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(0x100), 0x0001u | (1u << 16) | ((uint)next << 20)); // AER
        if (acsControl is { } ctl)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(0x148), 0x000Du | (1u << 16));
            BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(0x14c), 0x005f); // capabilities
            BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(0x14e), ctl);
        }

        return b;
    }

    [Fact]
    public void Acs_control_is_found_behind_other_extended_capabilities()
    {
        var config = new PciConfigSpace(RootView(PciePortType.RootPort, 0x001d));
        var acs = config.Acs();
        Assert.Equal(AcsControl.SourceValidation | AcsControl.P2PRequestRedirect | AcsControl.P2PCompletionRedirect | AcsControl.UpstreamForwarding, acs.Control);
        Assert.True(acs.RedirectsPeerTraffic);
        Assert.Equal("SrcValid+ TransBlk- ReqRedir+ CmpltRedir+ UpstreamFwd+ EgressCtrl- DirectTrans-", acs.Describe());
        Assert.Equal(PciePortType.RootPort, config.PortType);
    }

    [Fact]
    public void Source_validation_alone_does_not_redirect_peer_traffic()
    {
        Assert.False(new PciConfigSpace(RootView(PciePortType.SwitchDownstream, 0x0001)).Acs().RedirectsPeerTraffic);
    }

    [Fact]
    public void No_acs_capability_means_no_redirect()
    {
        var acs = new PciConfigSpace(RootView(PciePortType.SwitchUpstream, null)).Acs();
        Assert.Equal(AcsControl.None, acs.Control);
        Assert.False(acs.RedirectsPeerTraffic);
    }

    [Fact]
    public void The_non_root_64_byte_view_says_unknown_needs_root()
    {
        var config = new PciConfigSpace(RootView(PciePortType.RootPort, 0x001d)[..64]);
        var acs = config.Acs();
        Assert.Null(acs.Control);
        Assert.Null(acs.RedirectsPeerTraffic);
        Assert.StartsWith("needs root", acs.WhyUnknown, StringComparison.Ordinal);
        Assert.Null(config.PortType);
        Assert.Equal((ushort)0x1453, config.DeviceId);
        Assert.Equal(1, config.HeaderType);
    }

    [Fact]
    public void A_256_byte_view_has_no_extended_space()
    {
        Assert.Contains("extended configuration space", new PciConfigSpace(RootView(PciePortType.RootPort, 0x001d)[..256]).Acs().WhyUnknown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_looping_capability_list_terminates()
    {
        var b = RootView(PciePortType.RootPort, null);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(0x100), 0x0001u | (0x100u << 20)); // points at itself
        Assert.Equal(AcsControl.None, new PciConfigSpace(b).Acs().Control);
    }
}
