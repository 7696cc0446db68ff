using RigNotebooks.Plots;

namespace RigNotebooks.Interactive.Tests;

/// <summary>What each numbered notebook must draw, in order: the titles of its charts (data-rig-chart).</summary>
internal static class Expectations
{
    public static readonly IReadOnlyDictionary<string, string[]> Charts = new Dictionary<string, string[]>
    {
        ["00-reproduce-the-blog"] =
        [
            StoryReport.Titles.FailingCopies, StoryReport.Titles.FailingTraining, StoryReport.Titles.IommuCopies,
            StoryReport.Titles.BeforeAfter, StoryReport.Titles.Bandwidth, StoryReport.Titles.AllReduce, StoryReport.Titles.Scaling,
            StoryReport.Titles.PowerSweep, StoryReport.Titles.Thermals, StoryReport.Titles.Cost,
        ],
        ["01-topology-and-doctor"] = ["Deep check: GPU-to-GPU copies"],
        ["02-p2p-and-bandwidth"] = ["GPU-to-GPU bandwidth and latency", "All-reduce bus bandwidth", "IOMMU translating: P2P on slower than off"],
        ["03-power-cap-sweep"] = ["Throughput, power and energy per cap", "The sweep over time"],
        ["04-ddp-scaling"] = ["Data-parallel scaling", "Driver 545: P2P on hangs, P2P off runs slower", "A fourth card: scaling on 1..4 GPUs"],
        ["05-thermals-and-energy"] = ["Ten minutes under load", "Ten minutes at idle", "Cost per million tokens, electricity from the loaded window"],
        ["06-plan-and-cost"] =
        [
            "What-if: the bifurcator and a fourth card", "A 250 W cap on a hot day",
            "Cost per million tokens: own vs rent", "Cost per million tokens at 2 hours a day",
        ],
    };

    public static TheoryData<string> Notebooks => [.. Charts.Keys.Order(StringComparer.Ordinal)];
}
