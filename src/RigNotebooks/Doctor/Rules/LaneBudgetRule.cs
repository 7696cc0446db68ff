namespace RigNotebooks.Doctor.Rules;

/// <summary>GPUs × link width (plus other devices on CPU lanes) against the CPU's usable PCIe lanes.</summary>
public sealed class LaneBudgetRule : IDoctorRule
{
    public IEnumerable<Finding> Check(DoctorInput input)
    {
        var platform = input.Rig.Platform;
        var cpu = input.Data.FindCpu(platform.CpuModel);
        var gpuLanes = input.Rig.Gpus.Sum(g => g.Link.MaxWidth);
        var other = platform.OtherCpuLanesUsed ?? 0;
        var widths = string.Join(" + ", input.Rig.Gpus.GroupBy(g => g.Link.MaxWidth).Select(g => $"{g.Count()} x {g.Key}"));
        var misbelief = cpu?.CommonMisbelief is { } m ? $" Note: {m}" : string.Empty;
        if (platform.CpuPcieLanesUsable is not { } usable)
        {
            yield return new Finding(
                "lane-budget-unknown",
                Severity.Hint,
                "The CPU's PCIe lane budget is unknown",
                $"No lane count for '{platform.CpuModel}'. The GPUs use {gpuLanes} lanes ({widths}).",
                "Add the CPU to data/cpus.json (total and usable lanes, with a source) so the kit can check the budget.");
            yield break;
        }

        var needed = gpuLanes + other;
        var total = platform.CpuPcieLanesTotal is { } t ? $" of {t} total" : string.Empty;
        var evidence = $"GPUs {widths} = {gpuLanes} lanes" + (other > 0 ? $" + {other} for other devices on CPU lanes" : string.Empty) +
                       $" = {needed} of {usable} usable CPU lanes{total} ({platform.CpuModel}).{misbelief}";
        if (needed > usable)
        {
            yield return new Finding(
                "lane-budget-exceeded",
                Severity.Error,
                $"The GPUs need {needed} CPU PCIe lanes but the CPU has {usable} usable",
                evidence,
                "Some GPUs will train narrower than planned or hang off the chipset: put a card in an x8 slot, move the NVMe drive to chipset lanes, or choose a platform with more lanes.",
                cpu?.Sources ?? []);
        }
        else
        {
            yield return new Finding(
                "lane-budget",
                Severity.Hint,
                $"PCIe lane budget: {needed} of {usable} usable CPU lanes in use",
                evidence,
                needed == usable ? "Every usable CPU lane is taken: another card would have to share or run from the chipset." : "No action needed.",
                cpu?.Sources ?? []);
        }
    }
}
