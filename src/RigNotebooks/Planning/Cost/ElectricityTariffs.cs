using RigNotebooks.Data;
using RigNotebooks.Errors;

namespace RigNotebooks.Planning.Cost;

/// <summary>One electricity price (data/prices/electricity.json), dated and sourced, or the user's own.</summary>
public sealed record ElectricityTariff
{
    public required string Region { get; init; }

    public required string Description { get; init; }

    public required string Currency { get; init; }

    public required double PricePerKWh { get; init; }

    /// <summary>The period the price applies to, e.g. <c>2024-H1</c>; null for a user-given price.</summary>
    public string? Period { get; init; }

    public required string Source { get; init; }

    public string Label => Period is null ? $"{PricePerKWh} {Currency}/kWh ({Source})" : $"{PricePerKWh} {Currency}/kWh ({Description}, {Period}; {Source})";
}

/// <summary>
/// Reads the electricity price table data/prices/electricity.json: the one reader of that file. The monitor and the
/// power sweep use it too (Telemetry.EnergyUnits.Cost turns joules into money with a tariff).
/// </summary>
public static class ElectricityTariffs
{
    public const string File = "prices/electricity.json";

    private static readonly Lazy<(string Default, IReadOnlyList<ElectricityTariff> All)> Table = new(Load);

    public static IReadOnlyList<ElectricityTariff> All => Table.Value.All;

    public static ElectricityTariff Default => Find(Table.Value.Default);

    public static ElectricityTariff Find(string region) =>
        All.FirstOrDefault(p => string.Equals(p.Region, region, StringComparison.OrdinalIgnoreCase))
        ?? throw new RigInputException($"No electricity price for region '{region}' in data/{File}. Known: {string.Join(", ", All.Select(p => p.Region))}; or give your own with --price-kwh.");

    public static ElectricityTariff Custom(double pricePerKWh, string currency)
    {
        if (!(pricePerKWh > 0) || !double.IsFinite(pricePerKWh))
        {
            throw new RigInputException($"--price-kwh must be a positive price per kWh, not {pricePerKWh}.");
        }

        return new ElectricityTariff { Region = "custom", Description = "given by the user", Currency = currency, PricePerKWh = pricePerKWh, Source = "given by the user" };
    }

    private static (string, IReadOnlyList<ElectricityTariff>) Load()
    {
        var label = $"data/{File}";
        var table = StrictJsonReader.Read<TariffFile>(EmbeddedData.ReadText(File), label);
        for (var i = 0; i < table.Prices.Count; i++)
        {
            if (!(table.Prices[i].PricePerKWh > 0))
            {
                throw new InputFileException(label, $"$.prices[{i}].pricePerKWh", $"a price must be positive, not {table.Prices[i].PricePerKWh}");
            }
        }

        if (!table.Prices.Any(p => string.Equals(p.Region, table.Default, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InputFileException(label, "$.default", $"'{table.Default}' is not one of the regions listed");
        }

        return (table.Default, table.Prices);
    }

    private sealed record TariffFile
    {
        public required string About { get; init; }

        public required string Default { get; init; }

        public required IReadOnlyList<ElectricityTariff> Prices { get; init; }
    }
}
