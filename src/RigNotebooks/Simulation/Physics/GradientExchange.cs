namespace RigNotebooks.Simulation.Physics;

/// <summary>A data-parallel step's gradient all-reduce over <paramref name="Ranks"/> GPUs: its whole time, its last bucket
/// (which nothing can hide), whether it hangs on the rig, and how it was worked out.</summary>
public sealed record GradientExchange(int Ranks, double AllReduceS, double LastBucketS, bool Hangs, string Explanation);
