using RigNotebooks.Rigs;
using RigNotebooks.Simulation;

namespace RigNotebooks.Tests;

/// <summary>Opens the embedded profiles as simulated rigs for tests.</summary>
internal static class TestRigs
{
    public static SimulatedRig Sim(string profile) => (SimulatedRig)RigSelector.Open($"sim:{profile}");

    public static readonly string[] AllProfiles =
        ["blog-3x3090", "blog-3x3090-driver545", "blog-3x3090-iommu", "blog-4x3090", "bifurcated-4x4"];
}
