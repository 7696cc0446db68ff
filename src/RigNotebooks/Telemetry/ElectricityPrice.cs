using System.Text.Json;
using RigNotebooks.Data;
using RigNotebooks.Errors;

namespace RigNotebooks.Telemetry;

/// <summary>One electricity price with its date and source (data/prices/electricity.json), or the user's own tariff.</summary>
public sealed record ElectricityPrice
{
    public required string Region { get; init; }

    public required string Description { get; init; }

    public required string Currency { get; init; }

    public required double PricePerKWh { get; init; }

    /// <summary>The period the price applies to, e.g. <c>2024-H1</c>; null for a user-given tariff.</summary>
    public string? Period { get; init; }

    public required string Source { get; init; }

    /// <summary>A price the user gave on the command line or in a notebook.</summary>
    public static ElectricityPrice Custom(double pricePerKWh, string currency)
    {
        if (!(pricePerKWh >= 0) || double.IsInfinity(pricePerKWh))
        {
            throw new RigInputException($"The electricity price must be a non-negative number per kWh, not {pricePerKWh}.");
        }

        return new ElectricityPrice
        {
            Region = "custom",
            Description = "the price given by the user",
            Currency = currency,
            PricePerKWh = pricePerKWh,
            Source = "given by the user",
        };
    }

    /// <summary>Money for an amount of energy at this price.</summary>
    public double CostOf(double energyJ) => energyJ / EnergyUnits.JoulesPerKWh * PricePerKWh;

    public string Label => Period is null ? $"{PricePerKWh} {Currency}/kWh ({Source})" : $"{PricePerKWh} {Currency}/kWh ({Description}, {Period}; {Source})";
}

/// <summary>The embedded price table (data/prices/electricity.json).</summary>
public static class ElectricityPrices
{
    public const string File = "prices/electricity.json";

    private static readonly Lazy<(string Default, IReadOnlyList<ElectricityPrice> Prices)> Table = new(Load);

    public static IReadOnlyList<ElectricityPrice> All => Table.Value.Prices;

    public static ElectricityPrice Default => Find(Table.Value.Default);

    /// <summary>A price by region code (case-insensitive), or an input error naming the known ones.</summary>
    public static ElectricityPrice Find(string region) =>
        All.FirstOrDefault(p => string.Equals(p.Region, region, StringComparison.OrdinalIgnoreCase))
        ?? throw new RigInputException($"No electricity price for region '{region}' in data/{File}. Known: {string.Join(", ", All.Select(p => p.Region))}; or give your own with --price-per-kwh.");

    private static (string, IReadOnlyList<ElectricityPrice>) Load()
    {
        var table = StrictJsonReader.Read<PriceFile>(EmbeddedData.ReadText(File), $"data/{File}");
        if (!table.Prices.Any(p => string.Equals(p.Region, table.Default, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InputFileException($"data/{File}", "$.default", $"'{table.Default}' is not one of the regions listed");
        }

        return (table.Default, table.Prices);
    }

    private sealed record PriceFile
    {
        public required string About { get; init; }

        public required string Default { get; init; }

        public required IReadOnlyList<ElectricityPrice> Prices { get; init; }
    }
}
