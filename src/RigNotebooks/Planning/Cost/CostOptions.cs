using RigNotebooks.Simulation.Physics;

namespace RigNotebooks.Planning.Cost;

/// <summary>What the cost model is asked. Defaults are assumptions the report names: 8 hours of training a day for
/// 3 years, no resale value, the price table's default region, the price table's exchange rate.</summary>
/// <param name="PricePerKWh">The user's own electricity price (EUR/kWh); overrides <paramref name="Region"/>.</param>
/// <param name="UsdToEur">The user's own rate (EUR per USD); overrides the table's.</param>
/// <param name="LoadW">The rig's measured power at load, whole system; overrides the simulation.</param>
/// <param name="Measured">The rig's power at load from a run's telemetry; overrides the simulation.</param>
/// <param name="Offers">Cloud offer ids to compare; empty = every offer in the table.</param>
public sealed record CostOptions(
    TransformerShape? Model = null,
    int MicroBatchSequences = 16,
    double HoursPerDay = 8,
    double Years = 3,
    double ResaleEur = 0,
    double? PricePerKWh = null,
    string? Region = null,
    double? UsdToEur = null,
    double? LoadW = null,
    MeasuredLoad? Measured = null,
    double? GridGramsCo2PerKWh = null,
    IReadOnlyList<string>? Offers = null)
{
    public static CostOptions Default { get; } = new();

    public TransformerShape TrainingModel => Model ?? TransformerShape.Reference;
}
