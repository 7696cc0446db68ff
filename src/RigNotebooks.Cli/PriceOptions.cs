using System.CommandLine;
using RigNotebooks.Planning.Cost;

namespace RigNotebooks.Cli;

/// <summary>The electricity price options shared by the commands that turn energy into money.</summary>
public sealed class PriceOptions
{
    public Option<string?> Region { get; } = new("--region", "--price-region")
    {
        Description = "A region of data/prices/electricity.json (e.g. EU, DE) for the electricity price; default: the file's default.",
    };

    public Option<double?> PerKWh { get; } = new("--price-kwh", "--price-per-kwh")
    {
        Description = "Your own electricity price per kWh (overrides --region).",
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

    public ElectricityTariff Resolve(CommandContext context) =>
        context.Get(PerKWh) is { } custom
            ? ElectricityTariffs.Custom(custom, context.Get(Currency) ?? "EUR")
            : context.Get(Region) is { Length: > 0 } region ? ElectricityTariffs.Find(region) : ElectricityTariffs.Default;
}
