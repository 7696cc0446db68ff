using System.Globalization;

namespace RigNotebooks.Doctor.Rules;

/// <summary>Per-PSU headroom at the GPUs' current power limits, and the risk of simultaneous transients.</summary>
public sealed class PsuHeadroomRule : IDoctorRule
{
    public IEnumerable<Finding> Check(DoctorInput input)
    {
        var rig = input.Rig;
        foreach (var psu in rig.Psus)
        {
            var gpus = psu.FeedsGpus.Select(i => rig.Gpus[i]).ToList();
            var caps = gpus.Select(g => g.PowerLimits.CurrentW).ToList();
            var load = caps.Sum() + psu.OtherLoadW;
            var headroom = psu.RatingW - load;
            var sum = caps.Count switch
            {
                0 => "0 W",
                1 => $"{F(caps[0])} W",
                _ when caps.Distinct().Count() == 1 => $"{caps.Count} x {F(caps[0])} W",
                _ => $"({string.Join(" + ", caps.Select(F))}) W",
            };
            var arithmetic = $"{F(psu.RatingW)} - {sum}" + (psu.OtherLoadW > 0 ? $" - {F(psu.OtherLoadW)} W other load" : string.Empty) + $" = {F(headroom)} W";
            var gpuList = gpus.Count == 0 ? "no GPUs" : $"GPU {string.Join(", ", gpus.Select(g => g.Index))}";
            if (headroom < 0)
            {
                yield return new Finding(
                    "psu-overloaded",
                    Severity.Error,
                    $"{psu.Name} is overloaded at the current power limits",
                    $"{psu.Name} feeds {gpuList}: {arithmetic}.",
                    "Lower the power limits (`rig power sweep` finds a cap), move a card to another PSU, or fit a bigger unit.");
                continue;
            }

            yield return new Finding(
                "psu-headroom",
                Severity.Hint,
                $"{psu.Name}: {F(headroom)} W of headroom at the current limits",
                $"{psu.Name} feeds {gpuList}: {arithmetic}.",
                "No action needed for average load.");

            var peaks = gpus.Select(g => input.Data.FindGpu(g.Name)?.TransientPeakW).ToList();
            if (gpus.Count > 0 && peaks.All(p => p is not null))
            {
                var spike = peaks.Sum(p => p!.Value) + psu.OtherLoadW;
                if (spike > psu.RatingW)
                {
                    yield return new Finding(
                        "psu-transient-risk",
                        Severity.Warning,
                        $"{psu.Name}: simultaneous GPU power spikes can exceed its rating",
                        $"{gpuList} can spike to about {F(peaks[0]!.Value)} W{(gpus.Count > 1 ? " each" : string.Empty)} for milliseconds; with the other load that is {F(spike)} W against {F(psu.RatingW)} W. A power limit caps the average, not these spikes.",
                        "Use a unit built for transients (ATX 3.x, or rated well above the sum of caps), feed fewer cards per unit, or keep the caps and watch for shutdowns under load.",
                        ["REFERENCE.md §1: '3090 are known to create power spike to 600w' (anecdotal)"]);
                }
            }
        }
    }

    private static string F(double watts) => watts.ToString("0.#", CultureInfo.InvariantCulture);
}
