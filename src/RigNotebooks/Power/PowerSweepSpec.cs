using System.Text.Json.Nodes;
using RigNotebooks.Errors;
using RigNotebooks.Planning.Cost;

namespace RigNotebooks.Power;

/// <summary>What a power-cap sweep does: which caps, how long at each, how to sample, how to choose, and whether it may
/// change anything at all (<see cref="DryRun"/>: plan, and measure only at the cap in force now).</summary>
public sealed record PowerSweepSpec
{
    /// <summary>The caps to visit; null for the default plan (see <see cref="SweepPlan.Create"/>).</summary>
    public IReadOnlyList<double>? CapsW { get; init; }

    public double StepW { get; init; } = 25;

    /// <summary>The lowest cap of the default plan; null for the GPUs' minimum limit.</summary>
    public double? MinCapW { get; init; }

    /// <summary>The default longest warm-up at a cap: ten minutes, several time constants of a card's memory pads and
    /// backplate (the simulated model's VRAM constant is 90 s), so even the first cap, starting from idle, can settle.</summary>
    public const double DefaultMaxWarmupS = 600;

    /// <summary>The window over which temperatures must have settled, and the least warm-up at a cap.</summary>
    public const double SteadyWindowS = 30;

    /// <summary>Settled: no GPU's core or VRAM temperature drifts by this much or more over <see cref="SteadyWindowS"/>.</summary>
    public const double SteadyDriftC = 0.5;

    /// <summary>A fixed warm-up in seconds at each cap; null (the default) warms up until every GPU's core and VRAM
    /// temperatures have settled (drift under <see cref="SteadyDriftC"/> °C over <see cref="SteadyWindowS"/> s, by a
    /// line fitted to the samples), at least <see cref="SteadyWindowS"/> and at most <see cref="MaxWarmupS"/> seconds.
    /// Steady temperatures are what a cap means for the hardware in the long run: measured cold, a high cap looks cooler
    /// than it is and the caps after it inherit its heat.</summary>
    public double? WarmupS { get; init; }

    /// <summary>The longest warm-up at a cap when warming up until steady; a cap that is not steady by then is measured
    /// anyway and a finding says so.</summary>
    public double MaxWarmupS { get; init; } = DefaultMaxWarmupS;

    /// <summary>Seconds measured at each cap.</summary>
    public double MeasureS { get; init; } = 60;

    public double RateHz { get; init; } = 10;

    public bool DryRun { get; init; }

    /// <summary>The built-in workload to run when no other workload is supplied: <c>burn</c>, or on a simulated rig also
    /// <c>train</c> (the data-parallel training step, in tokens).</summary>
    public string Workload { get; init; } = "burn";

    public SelectorSettings Selection { get; init; } = new();

    /// <summary>The price that turns energy into money.</summary>
    public ElectricityTariff? Price { get; init; }

    public void Validate()
    {
        if (WarmupS is { } fixedS && (!(fixedS >= 0) || double.IsInfinity(fixedS)))
        {
            throw new RigInputException($"The warm-up must be zero or more seconds, not {fixedS}.");
        }

        if (!(MaxWarmupS >= SteadyWindowS) || double.IsInfinity(MaxWarmupS))
        {
            throw new RigInputException($"The longest warm-up must be at least {SteadyWindowS} s (the window over which temperatures must settle), not {MaxWarmupS}.");
        }

        if (!(MeasureS > 0) || double.IsInfinity(MeasureS))
        {
            throw new RigInputException($"The measured window must be more than zero seconds, not {MeasureS}.");
        }

        if (!(RateHz > 0 && RateHz <= 1000))
        {
            throw new RigInputException($"The sampling rate must be above 0 and at most 1000 Hz, not {RateHz}.");
        }

        Selection.Validate();
    }

    public JsonObject ToJson() => new()
    {
        ["capsW"] = CapsW is null ? null : new JsonArray(CapsW.Select(c => (JsonNode)c).ToArray()),
        ["stepW"] = StepW,
        ["minCapW"] = MinCapW,
        ["warmupS"] = WarmupS,
        ["warmup"] = WarmupS is null ? "until steady" : "fixed",
        ["maxWarmupS"] = WarmupS is null ? MaxWarmupS : null,
        ["steadyDriftC"] = WarmupS is null ? SteadyDriftC : null,
        ["steadyWindowS"] = WarmupS is null ? SteadyWindowS : null,
        ["measureS"] = MeasureS,
        ["rateHz"] = RateHz,
        ["dryRun"] = DryRun,
        ["workload"] = Workload,
        ["selector"] = Selection.Selector.ToString(),
        ["eta"] = Selection.Eta,
        ["maxSlowdownPct"] = Selection.MaxSlowdownPct,
        ["pricePerKWh"] = Price?.PricePerKWh,
        ["currency"] = Price?.Currency,
    };
}
