using RigNotebooks.Errors;

namespace RigNotebooks.Planning.Cost;

/// <summary>What owning the rig costs, from its purchase price, its power at load and the electricity price.</summary>
/// <param name="CapitalEur">The bill of materials; null when the profile has none (then only electricity is known).</param>
/// <param name="ResaleEur">What the parts fetch after <paramref name="Years"/>; 0 when not given.</param>
/// <param name="LoadW">The rig's power at the training load, whole system; null when unknown.</param>
/// <param name="TokensPerSecond">The rig's training throughput; null when unknown (a hang, a model that does not fit).</param>
/// <param name="GridGramsCo2PerKWh">Grid carbon intensity, when the user gives one.</param>
public sealed record OwnershipCost(
    double? CapitalEur,
    double ResaleEur,
    double Years,
    double HoursPerDay,
    double? LoadW,
    double PricePerKWh,
    double? TokensPerSecond,
    double? GridGramsCo2PerKWh)
{
    public const double DaysPerYear = 365.25;
    public const double DaysPerMonth = DaysPerYear / 12;

    /// <summary>Rejects inputs no rig has: a non-positive price, no hours, a resale worth more than the rig.</summary>
    public static OwnershipCost Create(double? capitalEur, double resaleEur, double years, double hoursPerDay, double? loadW, double pricePerKWh, double? tokensPerSecond, double? gridGramsCo2PerKWh)
    {
        Require(years > 0 && double.IsFinite(years), $"--years must be a positive number of years, not {years}.");
        Require(hoursPerDay > 0 && hoursPerDay <= 24, $"--hours-per-day must be more than 0 and at most 24, not {hoursPerDay}.");
        Require(pricePerKWh > 0 && double.IsFinite(pricePerKWh), $"the electricity price must be positive per kWh, not {pricePerKWh}.");
        Require(resaleEur >= 0 && double.IsFinite(resaleEur), $"--resale-eur must not be negative, not {resaleEur}.");
        Require(capitalEur is null || resaleEur <= capitalEur, $"--resale-eur {resaleEur} is more than the rig cost ({capitalEur}).");
        Require(loadW is null || (loadW > 0 && double.IsFinite(loadW.Value)), $"the rig's power at load must be positive watts, not {loadW}.");
        Require(gridGramsCo2PerKWh is null || gridGramsCo2PerKWh > 0, $"--grid-gco2-kwh must be positive, not {gridGramsCo2PerKWh}.");
        return new OwnershipCost(capitalEur, resaleEur, years, hoursPerDay, loadW, pricePerKWh, tokensPerSecond, gridGramsCo2PerKWh);
    }

    public double HoursOfUse => Years * DaysPerYear * HoursPerDay;

    public double? KWhPerHour => LoadW / 1000;

    public double? ElectricityEurPerHour => KWhPerHour * PricePerKWh;

    public double? ElectricityEurPerMonth => ElectricityEurPerHour * HoursPerDay * DaysPerMonth;

    /// <summary>Purchase less resale, spread over the hours of use.</summary>
    public double? CapitalEurPerHour => (CapitalEur - ResaleEur) / HoursOfUse;

    public double? EurPerHour => CapitalEurPerHour + ElectricityEurPerHour;

    public double? EurPerMillionTokens => EurPerHour / (TokensPerSecond * 3600) * 1e6;

    public double? KWhPerMillionTokens => KWhPerHour / (TokensPerSecond * 3600) * 1e6;

    public double? Co2KgPerMillionTokens => KWhPerMillionTokens * GridGramsCo2PerKWh / 1000;

    /// <summary>Everything over the horizon: purchase less resale plus electricity for every hour of use.</summary>
    public double? TotalEur => CapitalEur - ResaleEur + (ElectricityEurPerHour * HoursOfUse);

    private static void Require(bool ok, string problem)
    {
        if (!ok)
        {
            throw new RigInputException(problem);
        }
    }
}
