using RigNotebooks.Doctor.Budgets;

namespace RigNotebooks.Doctor.Rules;

/// <summary>Per-PSU headroom at the GPUs' current power limits, and the risk of simultaneous transients.
/// The arithmetic is <see cref="PsuBudget"/>, shared with the planner.</summary>
public sealed class PsuHeadroomRule : IDoctorRule
{
    public IEnumerable<Finding> Check(DoctorInput input)
    {
        foreach (var budget in PsuBudget.Of(input.Rig, input.Data))
        {
            var psu = budget.Psu;
            if (budget.Overloaded)
            {
                yield return new Finding(
                    "psu-overloaded",
                    Severity.Error,
                    $"{psu.Name} is overloaded at the current power limits",
                    $"{psu.Name} feeds {budget.GpuList}: {budget.Arithmetic}.",
                    "Lower the power limits (`rig power sweep` finds a cap), move a card to another PSU, or fit a bigger unit.");
                continue;
            }

            yield return new Finding(
                "psu-headroom",
                Severity.Hint,
                $"{psu.Name}: {PsuBudget.W(budget.HeadroomW)} W of headroom at the current limits",
                $"{psu.Name} feeds {budget.GpuList}: {budget.Arithmetic}.",
                "No action needed for average load.");

            if (budget.TransientRisk)
            {
                var gpus = budget.Gpus.Count;
                yield return new Finding(
                    "psu-transient-risk",
                    Severity.Warning,
                    $"{psu.Name}: simultaneous GPU power spikes can exceed its rating",
                    $"{budget.GpuList} can spike to about {PsuBudget.W(budget.TransientPeaksW[0]!.Value)} W{(gpus > 1 ? " each" : string.Empty)} for milliseconds{PsuBudget.TransientSum(gpus, psu.OtherLoadW, budget.TransientLoadW!.Value, psu.RatingW)}. A power limit caps the average, not these spikes.",
                    "Use a unit built for transients (ATX 3.x, or rated well above the sum of caps), feed fewer cards per unit, or keep the caps and watch for shutdowns under load.",
                    ["REFERENCE.md §1: '3090 are known to create power spike to 600w' (anecdotal)"]);
            }
        }
    }
}
