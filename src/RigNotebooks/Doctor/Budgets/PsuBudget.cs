using System.Globalization;
using RigNotebooks.Data;
using RigNotebooks.Model;

namespace RigNotebooks.Doctor.Budgets;

/// <summary>
/// One power supply's arithmetic: the GPUs wired to it at their power limits plus the rest of what it feeds, against
/// its rating; the millisecond transients those GPUs can add; and the least it must carry to run a GPU load at all
/// (every GPU at its lowest settable limit). Shared by the doctor's <c>PsuHeadroomRule</c> and the planner.
/// </summary>
/// <param name="TransientPeaksW">Each fed GPU's transient peak from the catalog; null where the catalog has none.</param>
public sealed record PsuBudget(PsuInfo Psu, IReadOnlyList<GpuInfo> Gpus, IReadOnlyList<double?> TransientPeaksW)
{
    public IReadOnlyList<double> CapsW => Gpus.Select(g => g.PowerLimits.CurrentW).ToList();

    /// <summary>The GPUs at their current limits plus the unit's other load.</summary>
    public double LoadAtCapsW => CapsW.Sum() + Psu.OtherLoadW;

    public double HeadroomW => Psu.RatingW - LoadAtCapsW;

    public bool Overloaded => HeadroomW < 0;

    /// <summary>Every fed GPU spiking at once, plus the other load; null when a GPU's peak is unknown or none is fed.</summary>
    public double? TransientLoadW =>
        Gpus.Count > 0 && TransientPeaksW.All(p => p is not null) ? TransientPeaksW.Sum(p => p!.Value) + Psu.OtherLoadW : null;

    public bool TransientRisk => TransientLoadW > Psu.RatingW;

    /// <summary>The load with every fed GPU at its lowest settable power limit: below this the unit cannot run the GPUs at any cap.</summary>
    public double MinimumLoadW => Gpus.Sum(g => g.PowerLimits.MinW) + Psu.OtherLoadW;

    public string GpuList => Gpus.Count == 0 ? "no GPUs" : $"GPU {string.Join(", ", Gpus.Select(g => g.Index))}";

    /// <summary>"750 - 2 x 285 W = 180 W" (with " - 250 W other load" when there is one).</summary>
    public string Arithmetic
    {
        get
        {
            var caps = CapsW;
            var sum = caps.Count switch
            {
                0 => "0 W",
                1 => $"{W(caps[0])} W",
                _ when caps.Distinct().Count() == 1 => $"{caps.Count} x {W(caps[0])} W",
                _ => $"({string.Join(" + ", caps.Select(W))}) W",
            };
            return $"{W(Psu.RatingW)} - {sum}" + (Psu.OtherLoadW > 0 ? $" - {W(Psu.OtherLoadW)} W other load" : string.Empty) + $" = {W(HeadroomW)} W";
        }
    }

    public static IReadOnlyList<PsuBudget> Of(RigDescription rig, ReferenceData data) =>
        rig.Psus.Select(psu =>
        {
            var gpus = psu.FeedsGpus.Where(i => i >= 0 && i < rig.Gpus.Count).Select(i => rig.Gpus[i]).ToList();
            return new PsuBudget(psu, gpus, gpus.Select(g => data.FindGpu(g.Name)?.TransientPeakW).ToList());
        }).ToList();

    /// <summary>How the transient sum reads after "… can spike to about 600 W each for milliseconds": "; with the 250 W
    /// other load that is 850 W against 750 W", naming the other load only when the unit has one.</summary>
    public static string TransientSum(int gpuCount, double otherLoadW, double transientLoadW, double ratingW)
    {
        var against = $"{W(transientLoadW)} W against {W(ratingW)} W";
        return otherLoadW > 0 ? $"; with the {W(otherLoadW)} W other load that is {against}"
            : gpuCount > 1 ? $"; together that is {against}"
            : $", against {W(ratingW)} W";
    }

    public static string W(double watts) => watts.ToString("0.#", CultureInfo.InvariantCulture);
}
