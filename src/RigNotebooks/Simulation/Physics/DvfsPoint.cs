namespace RigNotebooks.Simulation.Physics;

/// <summary>Where a GPU settles under a power cap: its clock (as a fraction of full boost and in MHz), the power it
/// draws, and its throughput relative to running uncapped at full boost.</summary>
public sealed record DvfsPoint(double CapW, double ClockFraction, double SmClockMHz, double PowerW, double RelativeThroughput, bool PowerLimited);
