namespace RigNotebooks.Doctor.Rules;

/// <summary>ACS redirect on a bridge between GPUs forces peer traffic up to the root complex (and through the IOMMU).</summary>
public sealed class AcsRule : IDoctorRule
{
    public IEnumerable<Finding> Check(DoctorInput input)
    {
        var rig = input.Rig;
        if (rig.Gpus.Count < 2)
        {
            yield break;
        }

        var onPath = rig.Gpus.SelectMany(g => g.UpstreamBridgeIds).Distinct()
            .Select(rig.Bridge).OfType<Model.PcieBridge>().ToList();
        var enabled = onPath.Where(b => b.AcsEnabled == true).ToList();
        var unknown = onPath.Where(b => b.AcsEnabled is null && b.Kind != Model.BridgeKind.HostBridge).ToList();
        if (enabled.Count > 0)
        {
            yield return new Finding(
                "acs-enabled",
                Severity.Warning,
                "ACS is enabled on bridges between the GPUs",
                $"ACSCtl SrcValid+/redirect on {string.Join(", ", enabled.Select(b => b.PciBusId ?? b.Id))}: peer transfers are redirected up to the root complex and through the IOMMU.",
                "Disable ACS in the BIOS if it offers the option, or per bridge as root with `setpci -s <bridge> ECAP_ACS+6.w=0000` (not persistent across reboots); then re-run `rig bandwidth`.",
                ["REFERENCE.md §4: ACS on bridges (`ACSCtl: SrcValid+`)"]);
        }
        else if (unknown.Count > 0)
        {
            yield return new Finding(
                "acs-unknown",
                Severity.Hint,
                "ACS state on the bridges between the GPUs is unknown",
                $"Reading ACS control of {string.Join(", ", unknown.Select(b => b.PciBusId ?? b.Id))} needs root (PCI config space).",
                "Run `sudo lspci -vvv | grep -i acsctl` or `sudo rig doctor --rig local` to read it.");
        }
    }
}
