namespace RigNotebooks.Simulation.Physics;

/// <summary>The simulated outcome of a GPU-to-GPU transfer path.</summary>
/// <param name="Available">False when the path cannot be used (no peer access); see <paramref name="Explanation"/>.</param>
/// <param name="BandwidthGBps">Unidirectional, or the sum of both directions when bidirectional.</param>
/// <param name="FirstWrongOffsetBytes">For corrupting paths: the first wrong byte of a copy at least that large.</param>
/// <param name="Explanation">How the figure was derived, for `--explain` and notebooks.</param>
public sealed record PeerPathEstimate(
    bool Available,
    double BandwidthGBps,
    double LatencyUs,
    bool Hangs,
    bool Corrupts,
    long? FirstWrongOffsetBytes,
    string Explanation);
