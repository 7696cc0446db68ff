using System.Globalization;
using RigNotebooks.Errors;
using RigNotebooks.Simulation.Physics;

namespace RigNotebooks.Planning.Cost;

/// <summary>
/// Owning against renting: the rig's bill of materials (its profile), its power at load (simulated by
/// <see cref="RigLoad"/>, or measured) × a dated electricity price (data/prices/electricity.json), hours of use and
/// resale; against cloud GPU-hours (data/prices/cloud.json) at the rented GPU's throughput from the same
/// <see cref="DataParallelModel"/> on its datasheet. Outputs cost per million tokens for both and the breakeven.
/// </summary>
public static class CostPlanner
{
    public const string RigCurrency = "EUR";

    public static CostReport Plan(PlanCandidate candidate, CostOptions options, CloudPrices? prices = null)
    {
        prices ??= CloudPrices.Default;
        if (options.MicroBatchSequences < 1)
        {
            throw new RigInputException($"--micro-batch must be 1 or more, not {options.MicroBatchSequences}.");
        }

        var rig = candidate.Rig;
        var model = options.TrainingModel;
        var assumptions = new List<string>();

        // Purchase price.
        var cost = rig.Profile.Cost;
        double? capital = null;
        string capitalText;
        if (cost is null)
        {
            capitalText = "unknown: the profile has no bill of materials (cost.billOfMaterials)";
        }
        else if (!string.Equals(cost.Currency, RigCurrency, StringComparison.OrdinalIgnoreCase))
        {
            capitalText = $"unknown: the bill of materials is in {cost.Currency} and the kit has no {cost.Currency}->{RigCurrency} rate";
        }
        else
        {
            capital = cost.BillOfMaterials.Sum(i => i.Price);
            capitalText = $"{string.Join(" + ", cost.BillOfMaterials.Select(i => M(i.Price)))} = {M(capital.Value)} {RigCurrency} ({string.Join("; ", cost.BillOfMaterials.Select(i => $"{i.Item}: {M(i.Price)}"))})";
        }

        // Power at load.
        var load = RigLoad.Of(rig);
        load.EnsurePowerable(candidate.Label);
        double? loadW;
        string loadSource, loadText;
        if (options.LoadW is { } given)
        {
            (loadW, loadSource, loadText) = (given, "given", F($"{given:0} W at load, given by the user (--load-w)"));
        }
        else if (options.Measured is { } measured)
        {
            (loadW, loadSource, loadText) = (measured.LoadW, measured.Source.ToString().ToLowerInvariant(), measured.Explanation);
        }
        else
        {
            loadW = load.TotalW;
            loadSource = "simulated";
            loadText = load.TotalW is { } total
                ? F($"simulated: GPUs {load.GpusW:0} W ({load.PowerExplanation}) + the rest of the system {load.RestOfSystemW:0} W (the profile's PSU other load) = {total:0} W")
                : "unknown: the profile lists no PSUs, so the rest of the system's draw is unknown; give --load-w";
        }

        // Electricity price and exchange rate.
        var tariff = options.PricePerKWh is { } price
            ? ElectricityTariffs.Custom(price, RigCurrency)
            : options.Region is { } region ? ElectricityTariffs.Find(region) : ElectricityTariffs.Default;
        if (!string.Equals(tariff.Currency, RigCurrency, StringComparison.OrdinalIgnoreCase))
        {
            throw new RigInputException($"The electricity price for {tariff.Region} is in {tariff.Currency}; the cost model works in {RigCurrency}. Give --price-kwh in {RigCurrency}.");
        }

        if (options.UsdToEur is { } userRate && (!(userRate > 0) || !double.IsFinite(userRate)))
        {
            throw new RigInputException($"--usd-eur must be a positive rate (EUR per USD), not {userRate}.");
        }

        var usdToEur = options.UsdToEur is { } rate
            ? new ExchangeRate { From = "USD", To = RigCurrency, Rate = rate, Date = "-", Source = "given by the user (--usd-eur)" }
            : prices.RateOf("USD", RigCurrency);

        // The rig's throughput.
        var training = TrainingEstimate.Of(rig, model, options.MicroBatchSequences);
        var own = OwnershipCost.Create(capital, options.ResaleEur, options.Years, options.HoursPerDay, loadW, tariff.PricePerKWh, training.TokensPerSecond, options.GridGramsCo2PerKWh);

        // Renting.
        var offers = options.Offers is { Count: > 0 } ids ? ids.Select(prices.Find).ToList() : prices.Offers.ToList();
        var quotes = offers.Select(offer => Quote(offer, prices, usdToEur, model, options.MicroBatchSequences, own, rig.Data)).ToList();

        assumptions.Add(F($"{options.HoursPerDay:0.#} hours of training a day for {options.Years:0.#} years ({own.HoursOfUse:#,0} hours of use){(options.HoursPerDay == CostOptions.Default.HoursPerDay && options.Years == CostOptions.Default.Years ? " - assumed; change with --hours-per-day and --years" : string.Empty)}"));
        assumptions.Add(options.ResaleEur > 0 ? F($"resale after {options.Years:0.#} years: {options.ResaleEur:#,0} {RigCurrency} (given)") : "no resale value (assumed; give --resale-eur)");
        assumptions.Add("one rented GPU, so renting carries no scaling loss (several rented GPUs would cost at least as much per token); cloud time is billed only while training");
        assumptions.Add(F($"USD prices converted at {usdToEur.Rate:0.####} EUR/USD ({usdToEur.Date}; {usdToEur.Source})"));

        var conclusions = new List<string> { OwnSentence(candidate.Label, model, own, capital, loadW, tariff) };
        conclusions.AddRange(quotes.Select(q => RentSentence(q, usdToEur, own)));

        return new CostReport(candidate.Label, model.Name, model.ParameterCount, RigCurrency, cost?.BillOfMaterials ?? [], capitalText, loadW, loadSource, loadText,
            tariff, usdToEur, training.Explanation, own, quotes, assumptions, conclusions);
    }

    private static RentalQuote Quote(CloudOffer offer, CloudPrices prices, ExchangeRate usdToEur, TransformerShape model, int microBatch, OwnershipCost own, Data.ReferenceData data)
    {
        var rate = string.Equals(offer.Currency, "USD", StringComparison.OrdinalIgnoreCase) ? usdToEur : prices.RateOf(offer.Currency, RigCurrency);
        var spec = data.FindGpu(offer.Gpu)!;
        var stateBytes = (double)model.ParameterCount * TrainingEstimate.ModelStateBytesPerParameter;
        if (stateBytes > spec.MemoryBytes)
        {
            return new RentalQuote(new RentalCost(offer, offer.PricePerGpuHour * rate.Rate, null, own),
                F($"unknown: {model.Name} needs {stateBytes / 1e9:0.0} GB of model state ({TrainingEstimate.ModelStateBytesPerParameter} bytes per parameter), more than {spec.Name}'s {spec.MemoryBytes / 1e9:0.0} GB"));
        }

        var step = DataParallelModel.SingleGpuStep(spec, spec.PowerDefaultW, model, (double)microBatch * model.SequenceLength);
        return new RentalQuote(new RentalCost(offer, offer.PricePerGpuHour * rate.Rate, step.TokensPerSecond, own),
            F($"{spec.Name} at its default {spec.PowerDefaultW:0} W: {step.TokensPerSecond:0} tokens/s ({step.Explanation})"));
    }

    private static string OwnSentence(string rig, TransformerShape model, OwnershipCost own, double? capital, double? loadW, ElectricityTariff tariff)
    {
        var parts = new List<string>
        {
            capital is { } c ? $"{M(c)} EUR up front" : "purchase price unknown",
            loadW is { } w && own.ElectricityEurPerHour is { } e
                ? F($"{w:0} W at load x {tariff.PricePerKWh:0.###} EUR/kWh = {e:0.000} EUR/h of electricity ({own.ElectricityEurPerMonth:0} EUR/month at {own.HoursPerDay:0.#} h/day)")
                : "power at load unknown",
        };
        if (own.EurPerHour is { } perHour)
        {
            parts.Add(F($"{perHour:0.000} EUR per hour of use over {own.Years:0.#} years"));
        }

        parts.Add(own.EurPerMillionTokens is { } perM
            ? F($"{Money(perM)} EUR per million tokens ({model.Name} at {own.TokensPerSecond:#,0} tokens/s)")
            : "cost per million tokens unknown");
        if (own.Co2KgPerMillionTokens is { } co2)
        {
            parts.Add(F($"{co2:0.00} kg CO2 per million tokens at {own.GridGramsCo2PerKWh:0} g/kWh"));
        }

        return $"Owning {rig}: {string.Join("; ", parts)}.";
    }

    private static string RentSentence(RentalQuote q, ExchangeRate usdToEur, OwnershipCost own)
    {
        var o = q.Offer;
        var price = F($"{o.PricePerGpuHour:0.00} {o.Currency} = {q.EurPerGpuHour:0.000} EUR per GPU-hour, {o.Date}");
        var through = q.RentedTokensPerSecond is { } t && q.GpusForEqualWork is { } g
            ? F($"one GPU does {t:#,0} tokens/s, so {g:0.00} of them match the rig ({q.EurPerHourOfRigWork:0.00} EUR per hour of the rig's work)")
            : q.RentedTokensPerSecond is { } t2 ? F($"one GPU does {t2:#,0} tokens/s") : "its throughput is unknown";
        var perM = q.EurPerMillionTokens is { } m ? $"{Money(m)} EUR per million tokens" : "cost per million tokens unknown";
        var breakeven = q.BreakevenMonths is { } months
            ? F($"owning breaks even after {months:0.0} months at {own.HoursPerDay:0.#} h/day") + (months > own.Years * 12 ? F($", beyond the {own.Years:0.#}-year horizon") : string.Empty)
            : $"no breakeven: {q.WhyNoBreakeven}";
        return $"Renting {o.Provider} {o.Gpu.Replace("NVIDIA ", string.Empty, StringComparison.Ordinal)} {o.Pricing} ({price}): {through}; {perM}; {breakeven}.";
    }

    /// <summary>Small sums to three significant figures (a small model costs fractions of a cent per million tokens).</summary>
    public static string Money(double eur) => eur switch
    {
        >= 100 => eur.ToString("#,0", CultureInfo.InvariantCulture),
        >= 1 => eur.ToString("0.00", CultureInfo.InvariantCulture),
        _ => eur.ToString("G3", CultureInfo.InvariantCulture),
    };

    private static string M(double money) => money.ToString("#,0.##", CultureInfo.InvariantCulture);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
