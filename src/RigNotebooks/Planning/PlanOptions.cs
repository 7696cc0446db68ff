using RigNotebooks.Simulation.Physics;

namespace RigNotebooks.Planning;

/// <summary>The workload every compared rig is put through.</summary>
/// <param name="UserModel">A model the user gives (<c>--model</c>), planned besides the reference model; null for none.</param>
/// <param name="MicroBatchSequences">Sequences per GPU per step (16, as the kit's scaling tests use).</param>
/// <param name="AllReduceBytes">The all-reduce size for the busbw figure: 256 MiB, on nccl-tests' large-message plateau.</param>
public sealed record PlanOptions(TransformerShape? UserModel = null, int MicroBatchSequences = 16, long AllReduceBytes = 256L << 20)
{
    public static PlanOptions Default { get; } = new();

    public IReadOnlyList<TransformerShape> Models =>
        UserModel is { } user && user != TransformerShape.Reference ? [TransformerShape.Reference, user] : [TransformerShape.Reference];
}
