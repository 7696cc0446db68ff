using RigNotebooks.Errors;

namespace RigNotebooks.Power;

/// <summary>The rules that pick a cap from a sweep (Zeus's, REFERENCE.md §3).</summary>
public enum CapSelector
{
    /// <summary>Least energy per unit of work.</summary>
    LowestEnergy,

    /// <summary>Most work per second.</summary>
    Fastest,

    /// <summary>Least Zeus cost per unit of work: η·E + (1 − η)·MaxPower·T.</summary>
    Zeus,

    /// <summary>The lowest cap whose throughput is within a slowdown bound of the highest cap's.</summary>
    Slowdown,
}

/// <summary>One measured cap as the selectors see it.</summary>
/// <param name="EnergyPerUnitJ">Energy of all GPUs divided by the work done (Zeus sums energy over GPUs).</param>
public sealed record CapPoint(double CapW, double UnitsPerS, double EnergyPerUnitJ);

/// <summary>How to choose: the rule, Zeus's η (0 = time only, 1 = energy only), and the slowdown bound in percent.</summary>
public sealed record SelectorSettings(CapSelector Selector = CapSelector.Zeus, double Eta = 0.5, double MaxSlowdownPct = 3)
{
    public void Validate()
    {
        if (!(Eta >= 0 && Eta <= 1))
        {
            throw new RigInputException($"η (--eta) must be between 0 and 1, not {Eta}.");
        }

        if (!(MaxSlowdownPct >= 0 && MaxSlowdownPct < 100))
        {
            throw new RigInputException($"The slowdown bound (--max-slowdown) must be at least 0 and below 100 %, not {MaxSlowdownPct}.");
        }
    }
}

public static class CapSelectors
{
    /// <summary>Zeus's cost per unit of work: η·E + (1 − η)·MaxPower·T with E in joules per unit and T = 1/throughput
    /// seconds per unit; <paramref name="maxPowerW"/> is the sum of the GPUs' maximum limits.</summary>
    public static double ZeusCost(CapPoint p, double eta, double maxPowerW) =>
        (eta * p.EnergyPerUnitJ) + ((1 - eta) * maxPowerW / p.UnitsPerS);

    /// <summary>The cap the rule picks, or null when no point has work. Ties go to the lower cap (same result for less power).</summary>
    /// <param name="baseline">The reference for the slowdown bound; default: the highest cap among the points.</param>
    public static CapPoint? Select(IReadOnlyList<CapPoint> points, SelectorSettings settings, double maxPowerW, CapPoint? baseline = null)
    {
        settings.Validate();
        var valid = points.Where(p => p.UnitsPerS > 0 && double.IsFinite(p.EnergyPerUnitJ)).OrderBy(p => p.CapW).ToList();
        if (valid.Count == 0)
        {
            return null;
        }

        switch (settings.Selector)
        {
            case CapSelector.LowestEnergy:
                return valid.MinBy(p => p.EnergyPerUnitJ);
            case CapSelector.Fastest:
                return valid.MaxBy(p => (p.UnitsPerS, -p.CapW));
            case CapSelector.Zeus:
                return valid.MinBy(p => ZeusCost(p, settings.Eta, maxPowerW));
            case CapSelector.Slowdown:
                var reference = baseline ?? valid.MaxBy(p => p.CapW)!;
                var floor = reference.UnitsPerS * (1 - (settings.MaxSlowdownPct / 100));
                return valid.Where(p => p.UnitsPerS >= floor - 1e-12).MinBy(p => p.CapW);
            default:
                throw new ArgumentOutOfRangeException(nameof(settings), settings.Selector, "unknown selector");
        }
    }

    /// <summary>Parses a selector name as the CLI takes it.</summary>
    public static CapSelector Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "energy" or "lowest-energy" or "lowestenergy" => CapSelector.LowestEnergy,
        "fastest" or "time" => CapSelector.Fastest,
        "zeus" or "cost" => CapSelector.Zeus,
        "slowdown" or "bound" => CapSelector.Slowdown,
        _ => throw new RigInputException($"Unknown selector '{name}'; use energy, fastest, zeus or slowdown."),
    };

    public static string Describe(SelectorSettings s) => s.Selector switch
    {
        CapSelector.LowestEnergy => "lowest energy per unit of work",
        CapSelector.Fastest => "highest throughput",
        CapSelector.Zeus => $"Zeus cost η·E + (1 − η)·MaxPower·T with η = {s.Eta}",
        CapSelector.Slowdown => $"lowest cap within {s.MaxSlowdownPct} % of the highest cap's throughput",
        _ => s.Selector.ToString(),
    };
}
