namespace RigNotebooks.Model;

/// <summary>A power supply and the GPUs wired to it.</summary>
/// <param name="OtherLoadW">Everything else this unit feeds (CPU, board, drives, fans) at load.</param>
public sealed record PsuInfo(string Name, double RatingW, IReadOnlyList<int> FeedsGpus, double OtherLoadW);
