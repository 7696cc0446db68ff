namespace RigNotebooks.Training.Parallel;

/// <summary>One optimizer step over all replicas.</summary>
/// <param name="Loss">Mean next-token loss over the global batch (nats per token).</param>
/// <param name="ComputeTime">The slowest replica's forward + backward.</param>
/// <param name="CommunicationTime">The slowest replica's gradient all-reduce (nothing overlaps it, so all of it is exposed).</param>
public sealed record StepResult(
    long Step,
    int Epoch,
    double Loss,
    long Tokens,
    TimeSpan StepTime,
    TimeSpan ComputeTime,
    TimeSpan CommunicationTime,
    IReadOnlyList<ReplicaStep> Replicas)
{
    public double TokensPerSecond => Tokens / Math.Max(StepTime.TotalSeconds, 1e-9);

    /// <summary>The share of the step spent in the all-reduce.</summary>
    public double CommunicationShare => CommunicationTime.TotalSeconds / Math.Max(StepTime.TotalSeconds, 1e-9);
}
