namespace RigNotebooks.Planning.Cost;

/// <summary>One cloud GPU price (data/prices/cloud.json), dated and sourced.</summary>
/// <param name="Gpu">The data/gpus.json entry whose datasheet gives the rented card's throughput.</param>
public sealed record CloudOffer
{
    public required string Id { get; init; }

    public required string Provider { get; init; }

    public required string Pricing { get; init; }

    public required string Gpu { get; init; }

    public required string Currency { get; init; }

    public required double PricePerGpuHour { get; init; }

    public required string Date { get; init; }

    public required string Source { get; init; }

    public string? Notes { get; init; }
}

/// <summary>A currency conversion with its date and source: 1 <see cref="From"/> = <see cref="Rate"/> <see cref="To"/>.</summary>
public sealed record ExchangeRate
{
    public required string From { get; init; }

    public required string To { get; init; }

    public required double Rate { get; init; }

    public required string Date { get; init; }

    public required string Source { get; init; }
}
