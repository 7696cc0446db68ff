using System.CommandLine;
using RigNotebooks.Telemetry;

namespace RigNotebooks.Cli;

/// <summary>The electricity price options shared by the commands that turn energy into money.</summary>
public sealed class PriceOptions
{
    public Option<string?> Region { get; } = new("--price-region")
    {
        Description = "Electricity price from data/prices/electricity.json by region (e.g. EU, DE); default: the file's default.",
    };

    public Option<double?> PerKWh { get; } = new("--price-per-kwh")
    {
        Description = "Your own electricity price per kWh (overrides --price-region).",
    };

    public Option<string> Currency { get; } = new("--currency")
    {
        Description = "The currency of --price-per-kwh.",
        DefaultValueFactory = _ => "EUR",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Region);
        command.Options.Add(PerKWh);
        command.Options.Add(Currency);
    }

    public ElectricityPrice Resolve(CommandContext context) =>
        context.Get(PerKWh) is { } custom
            ? ElectricityPrice.Custom(custom, context.Get(Currency) ?? "EUR")
            : context.Get(Region) is { Length: > 0 } region ? ElectricityPrices.Find(region) : ElectricityPrices.Default;
}
