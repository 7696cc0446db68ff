using System.Globalization;
using RigNotebooks.Errors;
using RigNotebooks.Model;

namespace RigNotebooks.Power;

/// <summary>The caps a sweep will visit, highest first, each inside every GPU's constraints.</summary>
/// <param name="RangeMinW">The highest minimum among the GPUs (a cap must be at least this on all of them).</param>
/// <param name="RangeMaxW">The lowest maximum among the GPUs.</param>
public sealed record SweepPlan(IReadOnlyList<double> CapsW, double RangeMinW, double RangeMaxW, IReadOnlyList<double> CurrentW, string How)
{
    /// <summary>
    /// From the GPUs' limits: the given caps (sorted high to low, duplicates dropped), or the range's maximum down in
    /// <paramref name="stepW"/> steps to <paramref name="minW"/> (default: the range's minimum), as Zeus does
    /// (REFERENCE.md §3), plus the cap in force now when it is off that grid, so the sweep always measures where the
    /// rig runs today. A cap outside any GPU's constraints is refused before anything changes.
    /// </summary>
    public static SweepPlan Create(IReadOnlyList<PowerLimits> limits, IReadOnlyList<double>? capsW, double stepW = 25, double? minW = null)
    {
        if (limits.Count == 0)
        {
            throw new RigInputException("The rig has no GPUs to sweep.");
        }

        var lo = limits.Max(l => l.MinW);
        var hi = limits.Min(l => l.MaxW);
        var current = limits.Select(l => l.CurrentW).ToList();
        if (lo > hi)
        {
            throw new RigInputException($"The GPUs share no power-limit range (highest minimum {F(lo)} W, lowest maximum {F(hi)} W); sweep them separately.");
        }

        List<double> caps;
        string how;
        if (capsW is { Count: > 0 })
        {
            var outside = capsW.Where(c => !(c >= lo && c <= hi)).ToList();
            if (outside.Count > 0)
            {
                var detail = string.Join("; ", outside.Distinct().Select(c =>
                    $"{F(c)} W (outside {string.Join(", ", limits.Select((l, i) => l.Allows(c) ? null : $"GPU {i}: {F(l.MinW)}–{F(l.MaxW)} W").Where(s => s is not null))})"));
                throw new RigInputException($"Refused: {detail}. Caps must lie within every GPU's constraints, {F(lo)}–{F(hi)} W here; nothing was changed.");
            }

            caps = capsW.Distinct().OrderDescending().ToList();
            how = "the caps given";
        }
        else
        {
            if (!(stepW > 0))
            {
                throw new RigInputException($"The step must be a positive number of watts, not {F(stepW)}.");
            }

            var floor = minW ?? lo;
            if (!(floor >= lo && floor <= hi))
            {
                throw new RigInputException($"The lowest cap {F(floor)} W is outside the GPUs' range {F(lo)}–{F(hi)} W; refused.");
            }

            caps = [];
            for (var c = hi; c >= floor - 1e-9; c -= stepW)
            {
                caps.Add(Math.Round(c, 3));
            }

            foreach (var now in current.Distinct())
            {
                if (now >= floor && now <= hi && !caps.Any(c => Math.Abs(c - now) < 0.5))
                {
                    caps.Add(now);
                }
            }

            caps = caps.OrderDescending().ToList();
            how = $"from {F(hi)} W down in {F(stepW)} W steps to {F(floor)} W, plus the cap in force now";
        }

        return new SweepPlan(caps, lo, hi, current, how);
    }

    private static string F(double w) => w.ToString("0.#", CultureInfo.InvariantCulture);
}
