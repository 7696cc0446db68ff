using System.CommandLine;
using RigNotebooks.Cli.Views;
using RigNotebooks.Experiments;
using RigNotebooks.Planning;
using RigNotebooks.Planning.Cost;

namespace RigNotebooks.Cli.Commands;

/// <summary>`rig cost`: owning the rig against renting cloud GPUs, per million tokens, with the breakeven.</summary>
public static class CostCommand
{
    public static Command Create(GlobalOptions options, TextWriter stdout, TextWriter stderr)
    {
        var priceKwh = new Option<double?>("--price-kwh", "--price-per-kwh") { Description = "Your electricity price, EUR per kWh (default: the price table's region)." };
        var region = new Option<string>("--region") { Description = "A region of data/prices/electricity.json (e.g. EU, DE)." };
        var hours = new Option<double>("--hours-per-day") { Description = "Hours of training a day.", DefaultValueFactory = _ => CostOptions.Default.HoursPerDay };
        var years = new Option<double>("--years") { Description = "Years the rig is used (the capital is spread over them).", DefaultValueFactory = _ => CostOptions.Default.Years };
        var resale = new Option<double>("--resale-eur") { Description = "What the parts fetch after --years (default 0)." };
        var usdEur = new Option<double?>("--usd-eur") { Description = "EUR per USD for cloud prices (default: the rate in data/prices/cloud.json)." };
        var loadW = new Option<double?>("--load-w") { Description = "The rig's measured power at training load, whole system, W (default: simulated)." };
        var energyRun = new Option<string>("--energy-run") { Description = "A run with GPU power telemetry to take the rig's load from (id, prefix or folder)." };
        var grid = new Option<double?>("--grid-gco2-kwh") { Description = "Grid carbon intensity, g CO2 per kWh, to add CO2 per million tokens (no default: give your grid's figure)." };
        var offer = new Option<string[]>("--offer") { Description = "Cloud offer ids to compare (default: all in data/prices/cloud.json).", AllowMultipleArgumentsPerToken = true };
        var model = new Option<string>("--model") { Description = "The model trained: a preset (gpt-100m default) or a parameter count (350M, 1.3B)." };
        var microBatch = new Option<int>("--micro-batch") { Description = "Sequences per GPU per step.", DefaultValueFactory = _ => CostOptions.Default.MicroBatchSequences };

        var command = CommandFactory.Create(
            "cost",
            "Owning against renting: the rig's parts and electricity against cloud GPU-hours, per million tokens, with the breakeven in months.",
            options,
            (c, ct) => RunAsync(
                c,
                new CostOptions(
                    Model: c.Get(model) is { } m ? ModelSize.Parse(m) : null,
                    MicroBatchSequences: c.Get(microBatch),
                    HoursPerDay: c.Get(hours),
                    Years: c.Get(years),
                    ResaleEur: c.Get(resale),
                    PricePerKWh: c.Get(priceKwh),
                    Region: c.Get(region),
                    UsdToEur: c.Get(usdEur),
                    LoadW: c.Get(loadW),
                    GridGramsCo2PerKWh: c.Get(grid),
                    Offers: c.Get(offer) ?? []),
                c.Get(energyRun)),
            stdout,
            stderr);
        foreach (var option in new Option[] { priceKwh, region, hours, years, resale, usdEur, loadW, energyRun, grid, offer, model, microBatch })
        {
            command.Options.Add(option);
        }

        return command;
    }

    private static Task<int> RunAsync(CommandContext context, CostOptions options, string? energyRun)
    {
        if (options.LoadW is not null && energyRun is not null)
        {
            throw new Errors.RigInputException("Give the rig's load once: --load-w or --energy-run, not both.");
        }

        var result = Experiment.Cost(context.Store, context.RigSpec, options, energyRun is null ? null : context.Store.Load(energyRun));
        if (context.Json)
        {
            context.WriteJson(new { runId = result.RunId, report = result.Report });
        }
        else
        {
            CostView.Render(context.Console, result.Report);
            context.ShowRun(result.RunId);
        }

        return Task.FromResult(ExitCodes.Ok);
    }
}
