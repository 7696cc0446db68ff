using System.Globalization;
using RigNotebooks.Planning.Cost;
using Spectre.Console;

namespace RigNotebooks.Cli.Views;

/// <summary>The cost report for a terminal: the inputs with their sources, own vs each cloud offer, and the sentences.</summary>
public static class CostView
{
    public static void Render(IAnsiConsole console, CostReport r)
    {
        var own = r.Own;
        console.MarkupLine($"[bold]rig cost[/] {Markup.Escape(r.Rig)} (simulated throughput): {Markup.Escape(r.Model)} ({r.ModelParameters / 1e6:0.0} M parameters)");
        console.MarkupLine($"  [grey]bill of materials:[/] {Markup.Escape(r.CapitalExplanation)}");
        console.MarkupLine($"  [grey]power at load ({Markup.Escape(r.LoadSource)}):[/] {Markup.Escape(r.LoadExplanation)}");
        console.MarkupLine($"  [grey]electricity:[/] {Markup.Escape(r.Electricity.Label)}");
        console.MarkupLine($"  [grey]rig throughput:[/] {Markup.Escape(r.ThroughputExplanation)}");
        foreach (var a in r.Assumptions)
        {
            console.MarkupLine($"  [grey]assumed:[/] {Markup.Escape(a)}");
        }

        var table = new Table().AddColumns("option", "EUR per GPU-hour", "tokens/s", "EUR per hour of the rig's work", "EUR per million tokens", "breakeven (months)", $"total over {own.Years.ToString("0.#", CultureInfo.InvariantCulture)} years (EUR)");
        table.AddRow(
            "[bold]own this rig[/]",
            "-",
            N(own.TokensPerSecond, "#,0"),
            N(own.EurPerHour, "0.000"),
            own.EurPerMillionTokens is { } ownM ? CostPlanner.Money(ownM) : "[grey]unknown[/]",
            "-",
            N(own.TotalEur, "#,0"));
        foreach (var q in r.Rent)
        {
            table.AddRow(
                Markup.Escape($"{q.Offer.Provider} {q.Offer.Gpu.Replace("NVIDIA ", string.Empty, StringComparison.Ordinal)} {q.Offer.Pricing} ({q.Offer.Date})"),
                N(q.EurPerGpuHour, "0.000"),
                N(q.RentedTokensPerSecond, "#,0"),
                N(q.EurPerHourOfRigWork, "0.000"),
                q.EurPerMillionTokens is { } rentM ? CostPlanner.Money(rentM) : "[grey]unknown[/]",
                q.BreakevenMonths is { } m ? m.ToString("0.0", CultureInfo.InvariantCulture) : "[grey]never/unknown[/]",
                N(q.TotalEur, "#,0"));
        }

        console.Write(table);
        foreach (var c in r.Conclusions)
        {
            console.MarkupLine($"  {Markup.Escape(c)}");
        }
    }

    private static string N(double? value, string format) =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "[grey]unknown[/]";
}
