using RigNotebooks.Data;
using RigNotebooks.Errors;
using RigNotebooks.Planning;
using RigNotebooks.Model;
using RigNotebooks.Planning.Cost;
using RigNotebooks.Results;

namespace RigNotebooks.Tests.Planning;

public class CostModelTests
{
    private const double DaysPerMonth = 365.25 / 12;

    private static CloudOffer Offer(double usdPerHour) => new()
    {
        Id = "test",
        Provider = "test",
        Pricing = "on-demand",
        Gpu = "NVIDIA A100 80GB PCIe",
        Currency = "USD",
        PricePerGpuHour = usdPerHour,
        Date = "2026",
        Source = "test",
    };

    [Fact]
    public void The_reference_rig_cost_2379_EUR()
    {
        var report = CostPlanner.Plan(PlanCandidate.Open("sim:blog-3x3090", []), CostOptions.Default);
        Assert.Equal(1700 + 425 + 254, report.Own.CapitalEur);
        Assert.Equal(2379, report.Own.CapitalEur);
        Assert.Contains("= 2,379 EUR", report.CapitalExplanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Owning_costs_capital_over_the_hours_of_use_plus_electricity()
    {
        var own = OwnershipCost.Create(2379, 0, 3, 8, 1000, 0.395, 100_000, 400);
        var hours = 3 * 365.25 * 8;
        Assert.Equal(8766, own.HoursOfUse, 6);
        Assert.Equal(2379 / hours, own.CapitalEurPerHour!.Value, 9);
        Assert.Equal(0.395, own.ElectricityEurPerHour!.Value, 9);
        Assert.Equal((2379 / hours) + 0.395, own.EurPerHour!.Value, 9);
        Assert.Equal(((2379 / hours) + 0.395) / 360, own.EurPerMillionTokens!.Value, 9); // 100k tokens/s = 360 M tokens/h
        Assert.Equal(0.395 * 8 * DaysPerMonth, own.ElectricityEurPerMonth!.Value, 9);
        Assert.Equal(1.0 / 360 * 0.4, own.Co2KgPerMillionTokens!.Value, 9); // 1 kWh per 360 M tokens at 400 g/kWh
        Assert.Equal(2379 + (0.395 * hours), own.TotalEur!.Value, 6);

        var resold = OwnershipCost.Create(2379, 800, 3, 8, 1000, 0.395, 100_000, null);
        Assert.Equal((2379 - 800) / hours, resold.CapitalEurPerHour!.Value, 9);
    }

    [Fact]
    public void Renting_equal_work_and_the_breakeven_by_hand()
    {
        var own = OwnershipCost.Create(2379, 0, 3, 8, 1000, 0.395, 100_000, null);
        var rent = new RentalCost(Offer(2.10), 2.10 * 0.9239, 200_000, own);
        Assert.Equal(0.5, rent.GpusForEqualWork!.Value, 9);
        Assert.Equal(0.5 * 2.10 * 0.9239, rent.EurPerHourOfRigWork!.Value, 9);
        Assert.Equal(2.10 * 0.9239 / 720, rent.EurPerMillionTokens!.Value, 9); // 200k tokens/s = 720 M tokens/h
        var months = 2379 / (((0.5 * 2.10 * 0.9239) - 0.395) * 8 * DaysPerMonth);
        Assert.Equal(months, rent.BreakevenMonths!.Value, 6);
        Assert.InRange(months, 16.9, 17.1); // 2379 / (0.575095 EUR/h x 8 h x 30.44 days)
        Assert.Null(rent.WhyNoBreakeven);
    }

    [Fact]
    public void Owning_never_pays_back_when_rent_is_cheaper_than_the_electricity()
    {
        var own = OwnershipCost.Create(2379, 0, 3, 8, 1000, 0.395, 100_000, null);
        var rent = new RentalCost(Offer(0.10), 0.10, 200_000, own);
        Assert.Null(rent.BreakevenMonths);
        Assert.Contains("never pays back", rent.WhyNoBreakeven, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, 8, 3, 0)]
    [InlineData(-0.3, 8, 3, 0)]
    [InlineData(0.3, 0, 3, 0)]
    [InlineData(0.3, 25, 3, 0)]
    [InlineData(0.3, 8, 0, 0)]
    [InlineData(0.3, 8, 3, -1)]
    [InlineData(0.3, 8, 3, 5000)]
    public void Impossible_cost_inputs_are_input_errors(double price, double hours, double years, double resale)
    {
        Assert.Throws<RigInputException>(() => OwnershipCost.Create(2379, resale, years, hours, 1000, price, 1, null));
    }

    [Fact]
    public void Cloud_prices_are_dated_sourced_data()
    {
        var prices = CloudPrices.Default;
        Assert.Equal(2.10, prices.Find("runpod-a100-80gb-on-demand").PricePerGpuHour);
        Assert.Equal(1.19, prices.Find("runpod-a100-80gb-spot").PricePerGpuHour);
        Assert.Equal(0.78, prices.Find("vastai-a100-80gb-low").PricePerGpuHour);
        Assert.Equal(1.20, prices.Find("vastai-a100-80gb-high").PricePerGpuHour);
        Assert.Equal(0.22, prices.Find("runpod-rtx3090-spot").PricePerGpuHour);
        Assert.Equal(0.39, prices.Find("runpod-rtx3090-on-demand").PricePerGpuHour);
        Assert.All(prices.Offers, o => Assert.False(string.IsNullOrWhiteSpace(o.Date) || string.IsNullOrWhiteSpace(o.Source)));
        var rate = prices.RateOf("USD", "EUR");
        Assert.InRange(rate.Rate, 0.8, 1.0);
        Assert.False(string.IsNullOrWhiteSpace(rate.Source));
        Assert.Contains("known:", Assert.Throws<RigInputException>(() => prices.Find("aws-h100")).Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_cloud_price_table_with_a_free_or_unknown_gpu_is_rejected()
    {
        var json = EmbeddedData.ReadText(CloudPrices.File);
        Assert.Throws<InputFileException>(() => CloudPrices.Parse(json.Replace("\"pricePerGpuHour\": 2.10", "\"pricePerGpuHour\": 0", StringComparison.Ordinal), "cloud.json", ReferenceData.Default));
        var unknown = Assert.Throws<InputFileException>(() => CloudPrices.Parse(json.Replace("\"gpu\": \"NVIDIA GeForce RTX 3090\"", "\"gpu\": \"RTX 3090 Ti\"", StringComparison.Ordinal), "cloud.json", ReferenceData.Default));
        Assert.EndsWith(".gpu", unknown.JsonPath, StringComparison.Ordinal);
    }

    [Fact]
    public void Electricity_prices_are_the_eurostat_figures()
    {
        Assert.Equal(0.395, ElectricityTariffs.Find("DE").PricePerKWh);
        Assert.Equal(0.289, ElectricityTariffs.Find("EU").PricePerKWh);
        Assert.All(ElectricityTariffs.All, t => Assert.Contains("Eurostat", t.Source, StringComparison.Ordinal));
        Assert.Throws<RigInputException>(() => ElectricityTariffs.Find("Atlantis"));
    }

    [Fact]
    public void The_reference_rig_against_renting_uses_its_simulated_load_and_throughput()
    {
        var report = CostPlanner.Plan(PlanCandidate.Open("sim:blog-3x3090", []), CostOptions.Default with { PricePerKWh = 0.395 });
        var own = report.Own;
        Assert.Equal("simulated", report.LoadSource);
        Assert.InRange(report.LoadW!.Value, 1100, 1110); // 3 x 285 W + 250 W rest of system
        Assert.Equal(report.LoadW.Value / 1000 * 0.395, own.ElectricityEurPerHour!.Value, 9);
        Assert.NotNull(own.EurPerMillionTokens);

        var a100 = report.Rent.Single(q => q.Offer.Id == "runpod-a100-80gb-on-demand");
        var rtx = report.Rent.Single(q => q.Offer.Id == "runpod-rtx3090-on-demand");
        Assert.True(a100.RentedTokensPerSecond > rtx.RentedTokensPerSecond, "an A100's bf16 peak is 312 TFLOPS against 71");
        Assert.InRange(rtx.GpusForEqualWork!.Value, 2.7, 3.0); // three capped 3090s with P2P scale almost linearly
        Assert.NotNull(a100.BreakevenMonths);
        Assert.Contains(report.Conclusions, c => c.Contains("breaks even after", StringComparison.Ordinal));
    }

    [Fact]
    public void A_rig_whose_training_hangs_has_no_cost_per_token_and_no_breakeven()
    {
        var report = CostPlanner.Plan(PlanCandidate.Open("sim:blog-3x3090-driver545", []), CostOptions.Default);
        Assert.Null(report.Own.EurPerMillionTokens);
        Assert.All(report.Rent, q => Assert.Null(q.BreakevenMonths));
        var rows = CostRows.Of(report).ToList();
        Assert.Contains(rows, r => r.Case == "own" && r.Metric == "eur_per_million_tokens" && r.Status == RowStatus.Waived);
    }

    [Fact]
    public void A_runs_power_telemetry_replaces_the_simulated_load()
    {
        using var temp = new TempFolder("rig-cost-tests-");
        var store = new RunStore(temp.Path);
        var rig = TestRigs.Sim("blog-3x3090");
        using (var run = store.Create("monitor", [], rig.Describe()))
        {
            foreach (var (gpu, watts) in new[] { (0, 280.0), (0, 290.0), (1, 270.0), (2, 250.0) })
            {
                run.Write(ResultRow.Ok("monitor", "telemetry", gpu, null, "power", watts, "W", DataSource.Simulated));
            }

            run.Write(ResultRow.Ok("monitor", "telemetry", 0, null, "core_temp", 60, "C", DataSource.Simulated));
            run.Complete();
        }

        var load = MeasuredLoad.FromRun(store.List()[0], 250);
        Assert.Equal(285 + 270 + 250 + 250, load.LoadW, 9); // GPU 0 averages 285 W
        Assert.Contains("250 W (the profile's PSU other load)", load.Explanation, StringComparison.Ordinal);

        var report = CostPlanner.Plan(PlanCandidate.Open("sim:blog-3x3090", []), CostOptions.Default with { Measured = load });
        Assert.Equal(1055, report.LoadW!.Value, 9);
        Assert.Equal(load.Explanation, report.LoadExplanation);
    }

    [Fact]
    public void A_run_without_power_rows_cannot_give_the_load()
    {
        using var temp = new TempFolder("rig-cost-tests-");
        var store = new RunStore(temp.Path);
        using (var run = store.Create("doctor", [], TestRigs.Sim("blog-3x3090").Describe()))
        {
            run.Complete();
        }

        Assert.Contains("no GPU power rows", Assert.Throws<RigInputException>(() => MeasuredLoad.FromRun(store.List()[0], 250)).Message, StringComparison.Ordinal);
    }
}
