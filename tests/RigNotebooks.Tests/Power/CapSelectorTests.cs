using RigNotebooks.Errors;
using RigNotebooks.Power;

namespace RigNotebooks.Tests.Power;

public sealed class CapSelectorTests
{
    // Known inputs: throughput falls slowly then fast; energy per unit has its minimum at 200 W.
    private static readonly CapPoint[] Points =
    [
        new(350, 100.0, 10.0),
        new(300, 98.0, 8.5),
        new(285, 97.5, 8.2),
        new(250, 95.0, 7.6),
        new(200, 88.0, 7.2),
        new(150, 60.0, 8.0),
    ];

    [Fact]
    public void Lowest_energy_picks_the_least_joules_per_unit() =>
        Assert.Equal(200, CapSelectors.Select(Points, new SelectorSettings(CapSelector.LowestEnergy), 1050)!.CapW);

    [Fact]
    public void Fastest_picks_the_highest_throughput() =>
        Assert.Equal(350, CapSelectors.Select(Points, new SelectorSettings(CapSelector.Fastest), 1050)!.CapW);

    [Theory]
    [InlineData(3.0, 285)]   // 97.5 ≥ 97.0
    [InlineData(2.0, 300)]   // 98.0 ≥ 98.0
    [InlineData(5.0, 250)]
    [InlineData(0.0, 350)]
    public void Slowdown_picks_the_lowest_cap_within_the_bound(double boundPct, double expected) =>
        Assert.Equal(expected, CapSelectors.Select(Points, new SelectorSettings(CapSelector.Slowdown, MaxSlowdownPct: boundPct), 1050)!.CapW);

    [Fact]
    public void Zeus_cost_is_eta_energy_plus_one_minus_eta_maxpower_time()
    {
        var p = new CapPoint(285, 97.5, 8.2);
        Assert.Equal((0.5 * 8.2) + (0.5 * 1050 / 97.5), CapSelectors.ZeusCost(p, 0.5, 1050), 12);
    }

    [Theory]
    [InlineData(1.0, 200)]  // energy only: same as lowest energy
    [InlineData(0.0, 350)]  // time only: same as fastest
    [InlineData(0.5, 250)]  // worked by hand: costs 350: 10.25, 300: 9.607, 285: 9.485, 250: 9.326, 200: 9.566, 150: 12.75
    public void Zeus_moves_between_fastest_and_lowest_energy_with_eta(double eta, double expected) =>
        Assert.Equal(expected, CapSelectors.Select(Points, new SelectorSettings(CapSelector.Zeus, eta), 1050)!.CapW);

    [Fact]
    public void Ties_go_to_the_lower_cap()
    {
        CapPoint[] tied = [new(300, 90, 8), new(250, 90, 8)];
        Assert.Equal(250, CapSelectors.Select(tied, new SelectorSettings(CapSelector.Fastest), 600)!.CapW);
        Assert.Equal(250, CapSelectors.Select(tied, new SelectorSettings(CapSelector.LowestEnergy), 600)!.CapW);
    }

    [Fact]
    public void Points_without_work_are_ignored_and_none_gives_null()
    {
        Assert.Null(CapSelectors.Select([new CapPoint(300, 0, double.PositiveInfinity)], new SelectorSettings(), 350));
    }

    [Theory]
    [InlineData(-0.1, 3)]
    [InlineData(1.1, 3)]
    [InlineData(0.5, -1)]
    public void Bad_settings_are_input_errors(double eta, double bound) =>
        Assert.Throws<RigInputException>(() => CapSelectors.Select(Points, new SelectorSettings(CapSelector.Zeus, eta, bound), 1050));

    [Theory]
    [InlineData("energy", CapSelector.LowestEnergy)]
    [InlineData("fastest", CapSelector.Fastest)]
    [InlineData("Zeus", CapSelector.Zeus)]
    [InlineData("slowdown", CapSelector.Slowdown)]
    public void Names_parse(string name, CapSelector expected) => Assert.Equal(expected, CapSelectors.Parse(name));
}
