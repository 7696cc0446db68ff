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

    /// <summary>Seconds at each cap before measuring (clocks and power settle; Zeus uses 10 steps).</summary>
    public double WarmupS { get; init; } = 30;

    /// <summary>Seconds measured at each cap.</summary>
    public double MeasureS { get; init; } = 60;

    public double RateHz { get; init; } = 10;

    public bool DryRun { get; init; }

    /// <summary>The built-in workload to run (<c>burn</c>) when no other workload is supplied.</summary>
    public string Workload { get; init; } = "burn";

    public SelectorSettings Selection { get; init; } = new();

    /// <summary>The price that turns energy into money.</summary>
    public ElectricityTariff? Price { get; init; }

    public void Validate()
    {
        if (!(WarmupS >= 0) || double.IsInfinity(WarmupS))
        {
            throw new RigInputException($"The warm-up must be zero or more seconds, not {WarmupS}.");
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
