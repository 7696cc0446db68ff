using RigNotebooks.Data;
using RigNotebooks.Errors;

namespace RigNotebooks.Planning.Cost;

/// <summary>The embedded cloud price table (data/prices/cloud.json): offers per GPU-hour and exchange rates.</summary>
public sealed class CloudPrices
{
    public const string File = "prices/cloud.json";

    private static readonly Lazy<CloudPrices> Embedded = new(() => Parse(EmbeddedData.ReadText(File), $"data/{File}", ReferenceData.Default));

    private CloudPrices(string defaultId, IReadOnlyList<CloudOffer> offers, IReadOnlyList<ExchangeRate> rates)
    {
        DefaultId = defaultId;
        Offers = offers;
        Rates = rates;
    }

    public static CloudPrices Default => Embedded.Value;

    public string DefaultId { get; }

    public IReadOnlyList<CloudOffer> Offers { get; }

    public IReadOnlyList<ExchangeRate> Rates { get; }

    public CloudOffer Find(string id) =>
        Offers.FirstOrDefault(o => string.Equals(o.Id, id, StringComparison.OrdinalIgnoreCase))
        ?? throw new RigInputException($"No cloud offer '{id}' in data/{File}. Known: {string.Join(", ", Offers.Select(o => o.Id))}.");

    /// <summary>The rate from a currency into another (1 when they are the same), or an input error naming the missing pair.</summary>
    public ExchangeRate RateOf(string from, string to) =>
        string.Equals(from, to, StringComparison.OrdinalIgnoreCase)
            ? new ExchangeRate { From = from, To = to, Rate = 1, Date = "-", Source = "same currency" }
            : Rates.FirstOrDefault(r => string.Equals(r.From, from, StringComparison.OrdinalIgnoreCase) && string.Equals(r.To, to, StringComparison.OrdinalIgnoreCase))
              ?? throw new RigInputException($"No {from}->{to} exchange rate in data/{File}; give one with --usd-eur.");

    public static CloudPrices Parse(string json, string fileLabel, ReferenceData data)
    {
        var file = StrictJsonReader.Read<PriceFile>(json, fileLabel);
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < file.Offers.Count; i++)
        {
            var offer = file.Offers[i];
            var path = $"$.offers[{i}]";
            if (!ids.Add(offer.Id))
            {
                throw new InputFileException(fileLabel, $"{path}.id", $"offer id '{offer.Id}' is used twice");
            }

            if (!(offer.PricePerGpuHour > 0) || !double.IsFinite(offer.PricePerGpuHour))
            {
                throw new InputFileException(fileLabel, $"{path}.pricePerGpuHour", $"a price must be positive, not {offer.PricePerGpuHour}");
            }

            if (data.FindGpu(offer.Gpu) is null)
            {
                throw new InputFileException(fileLabel, $"{path}.gpu", $"unknown GPU model '{offer.Gpu}' (known: {string.Join(", ", data.Gpus.Select(g => g.Name))})");
            }
        }

        for (var i = 0; i < file.ExchangeRates.Count; i++)
        {
            if (!(file.ExchangeRates[i].Rate > 0) || !double.IsFinite(file.ExchangeRates[i].Rate))
            {
                throw new InputFileException(fileLabel, $"$.exchangeRates[{i}].rate", $"a rate must be positive, not {file.ExchangeRates[i].Rate}");
            }
        }

        if (!ids.Contains(file.Default))
        {
            throw new InputFileException(fileLabel, "$.default", $"'{file.Default}' is not one of the offers listed");
        }

        return new CloudPrices(file.Default, file.Offers, file.ExchangeRates);
    }

    private sealed record PriceFile
    {
        public required string About { get; init; }

        public required string Default { get; init; }

        public required IReadOnlyList<CloudOffer> Offers { get; init; }

        public required IReadOnlyList<ExchangeRate> ExchangeRates { get; init; }
    }
}
