using RigNotebooks.Rigs;
using RigNotebooks.Simulation;

namespace RigNotebooks.Tests;

/// <summary>Opens the embedded profiles as simulated rigs for tests.</summary>
internal static class TestRigs
{
    public static SimulatedRig Sim(string profile) => (SimulatedRig)RigSelector.Open($"sim:{profile}");

    public static readonly string[] AllProfiles =
        ["blog-3x3090", "blog-3x3090-driver545", "blog-3x3090-iommu", "blog-3x3090-riser", "blog-4x3090", "bifurcated-4x4"];

    /// <summary>The reference rig with one fault each: the driver-545 hang, the IOMMU translating peer transfers,
    /// GPU 2's riser trained down to Gen1.</summary>
    public static readonly string[] FaultProfiles =
        ["blog-3x3090-driver545", "blog-3x3090-iommu", "blog-3x3090-riser"];
}
