using RigNotebooks.Doctor.Budgets;

namespace RigNotebooks.Doctor.Rules;

/// <summary>GPUs × link width (plus other devices on CPU lanes) against the CPU's usable PCIe lanes.
/// The arithmetic is <see cref="LaneBudget"/>, shared with the planner.</summary>
public sealed class LaneBudgetRule : IDoctorRule
{
    public IEnumerable<Finding> Check(DoctorInput input)
    {
        var budget = LaneBudget.Of(input.Rig, input.Data);
        if (budget.UsableLanes is not { } usable)
        {
            yield return new Finding(
                "lane-budget-unknown",
                Severity.Hint,
                "The CPU's PCIe lane budget is unknown",
                budget.Evidence,
                "Add the CPU to data/cpus.json (total and usable lanes, with a source) so the kit can check the budget.");
            yield break;
        }

        var needed = budget.NeededLanes;
        if (budget.Exceeded)
        {
            yield return new Finding(
                "lane-budget-exceeded",
                Severity.Error,
                $"The GPUs need {needed} CPU PCIe lanes but the CPU has {usable} usable",
                budget.Evidence,
                "Some GPUs will train narrower than planned or hang off the chipset: put a card in an x8 slot, move the NVMe drive to chipset lanes, or choose a platform with more lanes.",
                budget.Cpu?.Sources ?? []);
        }
        else
        {
            yield return new Finding(
                "lane-budget",
                Severity.Hint,
                $"PCIe lane budget: {needed} of {usable} usable CPU lanes in use",
                budget.Evidence,
                needed == usable ? "Every usable CPU lane is taken: another card would have to share or run from the chipset." : "No action needed.",
                budget.Cpu?.Sources ?? []);
        }
    }
}
