using RigNotebooks.Model;
using RigNotebooks.Results;

namespace RigNotebooks.Planning.Cost;

/// <summary>A cost report as tidy rows (docs/ROWS.md, experiment <c>cost</c>): case <c>own</c>, and <c>rent</c> per offer
/// (param <c>offer</c>); an unknown figure is a waived row whose note says why.</summary>
public static class CostRows
{
    public const string Experiment = "cost";

    public static IEnumerable<ResultRow> Of(CostReport report)
    {
        // The throughput is always simulated, so every row is, even when the power at load was measured.
        const DataSource source = DataSource.Simulated;
        var own = report.Own;
        var common = new Dictionary<string, string> { ["rig"] = report.Rig, ["model"] = report.Model };
        yield return Row("own", "capital", own.CapitalEur, "EUR", report.CapitalExplanation);
        yield return Row("own", "power_at_load", report.LoadW, "W", report.LoadExplanation);
        yield return Row("own", "kwh_per_hour", own.KWhPerHour, "kWh", report.LoadExplanation);
        yield return Row("own", "electricity_eur_per_hour", own.ElectricityEurPerHour, "EUR", report.LoadExplanation);
        yield return Row("own", "eur_per_hour", own.EurPerHour, "EUR", "needs the bill of materials and the power at load");
        yield return Row("own", "tokens_per_s", own.TokensPerSecond, "tokens/s", report.ThroughputExplanation);
        yield return Row("own", "eur_per_million_tokens", own.EurPerMillionTokens, "EUR", "needs the cost per hour and the throughput");
        if (own.GridGramsCo2PerKWh is not null)
        {
            yield return Row("own", "co2_kg_per_million_tokens", own.Co2KgPerMillionTokens, "kg", "needs the power at load and the throughput");
        }

        foreach (var q in report.Rent)
        {
            var p = new Dictionary<string, string>(common) { ["offer"] = q.Offer.Id };
            yield return Row("rent", "eur_per_gpu_hour", q.EurPerGpuHour, "EUR", q.Offer.Source, p);
            yield return Row("rent", "tokens_per_s", q.RentedTokensPerSecond, "tokens/s", q.ThroughputExplanation, p);
            yield return Row("rent", "gpus_for_equal_work", q.GpusForEqualWork, "count", q.ThroughputExplanation, p);
            yield return Row("rent", "eur_per_million_tokens", q.EurPerMillionTokens, "EUR", q.ThroughputExplanation, p);
            yield return Row("rent", "breakeven_months", q.BreakevenMonths, "months", q.WhyNoBreakeven ?? string.Empty, p);
        }

        ResultRow Row(string @case, string metric, double? value, string unit, string why, Dictionary<string, string>? parameters = null) =>
            value is { } v && double.IsFinite(v)
                ? ResultRow.Ok(Experiment, @case, null, null, metric, v, unit, source, parameters ?? common)
                : ResultRow.NotMeasured(RowStatus.Waived, Experiment, @case, null, null, metric, unit, source, $"unknown: {why}", parameters ?? common);
    }
}
