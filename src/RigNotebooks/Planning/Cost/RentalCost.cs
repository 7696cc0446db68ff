namespace RigNotebooks.Planning.Cost;

/// <summary>
/// What renting the same work costs: a cloud GPU-hour price and the rented GPU's throughput against the rig's. The
/// rented figure is for one GPU, so it carries no scaling loss: renting several would cost at least as much per token.
/// Breakeven: the months of use (at the rig's hours per day) until the rent saved, less the rig's electricity, has
/// paid the rig's purchase price (resale not counted: the money is spent up front).
/// </summary>
/// <param name="RentedTokensPerSecond">One rented GPU's tokens/s; null when the model does not fit it.</param>
public sealed record RentalCost(CloudOffer Offer, double EurPerGpuHour, double? RentedTokensPerSecond, OwnershipCost Own)
{
    /// <summary>How many rented GPUs match the rig's throughput.</summary>
    public double? GpusForEqualWork => Own.TokensPerSecond / RentedTokensPerSecond;

    /// <summary>The rent for one hour of the rig's work.</summary>
    public double? EurPerHourOfRigWork => EurPerGpuHour * GpusForEqualWork;

    public double? EurPerMillionTokens => EurPerGpuHour / (RentedTokensPerSecond * 3600) * 1e6;

    /// <summary>Rent saved per hour of use by owning, after paying the rig's electricity.</summary>
    public double? SavingEurPerHour => EurPerHourOfRigWork - Own.ElectricityEurPerHour;

    /// <summary>Null when owning never pays back (no saving) or a figure it needs is unknown; see <see cref="WhyNoBreakeven"/>.</summary>
    public double? BreakevenMonths => SavingEurPerHour is > 0 && Own.CapitalEur is { } capital
        ? capital / (SavingEurPerHour.Value * Own.HoursPerDay * OwnershipCost.DaysPerMonth)
        : null;

    public string? WhyNoBreakeven => BreakevenMonths is not null
        ? null
        : Own.CapitalEur is null ? "the profile has no bill of materials"
        : SavingEurPerHour is null ? "a throughput or the rig's power is unknown"
        : "renting the rig's work costs no more per hour than the rig's electricity: owning never pays back";

    /// <summary>Renting the rig's work for every hour of use over the horizon.</summary>
    public double? TotalEur => EurPerHourOfRigWork * Own.HoursOfUse;
}
