using System.Text.Json.Serialization;

namespace RigNotebooks.Planning.Cost;

/// <summary>Owning against renting for one rig: inputs with their sources, the arithmetic's results, and sentences that say it.</summary>
public sealed record CostReport(
    string Rig,
    string Model,
    long ModelParameters,
    string Currency,
    IReadOnlyList<Profiles.BomItem> BillOfMaterials,
    string CapitalExplanation,
    double? LoadW,
    string LoadSource,
    string LoadExplanation,
    ElectricityTariff Electricity,
    ExchangeRate UsdToEur,
    string ThroughputExplanation,
    OwnershipCost Own,
    IReadOnlyList<RentalQuote> Rent,
    IReadOnlyList<string> Assumptions,
    IReadOnlyList<string> Conclusions)
{
    public string Source => "simulated";
}

/// <summary>One cloud offer against the rig, with the rented GPU's throughput explained.</summary>
public sealed record RentalQuote(
    [property: JsonIgnore] RentalCost Cost,
    string ThroughputExplanation)
{
    public CloudOffer Offer => Cost.Offer;

    public double EurPerGpuHour => Cost.EurPerGpuHour;

    public double? RentedTokensPerSecond => Cost.RentedTokensPerSecond;

    public double? GpusForEqualWork => Cost.GpusForEqualWork;

    public double? EurPerHourOfRigWork => Cost.EurPerHourOfRigWork;

    public double? EurPerMillionTokens => Cost.EurPerMillionTokens;

    public double? BreakevenMonths => Cost.BreakevenMonths;

    public string? WhyNoBreakeven => Cost.WhyNoBreakeven;

    public double? TotalEur => Cost.TotalEur;
}
