namespace RigNotebooks.Doctor.Rules;

/// <summary>A GPU link below its maximum: narrower is a riser or slot problem; slower may be an idle GPU.</summary>
public sealed class LinkBelowMaxRule : IDoctorRule
{
    public IEnumerable<Finding> Check(DoctorInput input)
    {
        foreach (var gpu in input.Rig.Gpus.Where(g => g.Link.IsBelowMax))
        {
            var narrower = gpu.Link.CurrentWidth < gpu.Link.MaxWidth;
            yield return new Finding(
                "link-below-max",
                narrower ? Severity.Warning : Severity.Hint,
                $"GPU {gpu.Index} link runs at {gpu.Link.Current}, below its maximum {gpu.Link.Max}",
                $"GPU {gpu.Index} ({gpu.PciBusId}): {gpu.Link.Current} = {gpu.Link.CurrentRawGBps:0.0} GB/s per direction vs {gpu.Link.MaxRawGBps:0.0} GB/s at {gpu.Link.Max}. " +
                "An idle GPU drops its link to Gen1 to save power, so a low generation at idle is normal; confirm under load (`rig bandwidth` warms the GPUs and records the link during the test).",
                narrower
                    ? "A narrower link is not power saving: reseat the riser, try a shorter or better-shielded riser, check the slot's electrical width and the BIOS bifurcation setting."
                    : "Re-check under load; if it stays low, set the slot's PCIe generation in the BIOS and check the riser's rating (a Gen3 riser on a Gen4 slot may train down).");
        }
    }
}
