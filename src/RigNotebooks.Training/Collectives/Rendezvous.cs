namespace RigNotebooks.Training.Collectives;

/// <summary>The opaque id that lets ranks find each other: what ncclGetUniqueId returns on rank 0 (128 bytes) and every
/// other rank must receive before joining.</summary>
public sealed record RendezvousToken(string Backend, byte[] Id)
{
    public string Hex => Convert.ToHexStringLower(Id);
}

/// <summary>Hands rank 0's token to every rank. In one process that is a shared variable; across machines it will be a
/// TCP store or a file on shared storage — the trainer only sees this interface.</summary>
public interface IRendezvous
{
    /// <summary>On rank 0, calls <paramref name="create"/> and publishes the result; on other ranks, waits for it.</summary>
    RendezvousToken Exchange(int rank, Func<RendezvousToken> create, TimeSpan timeout, CancellationToken cancellationToken = default);
}

/// <summary>The rendezvous of ranks that are threads of one process.</summary>
public sealed class InProcessRendezvous : IRendezvous
{
    private readonly TaskCompletionSource<RendezvousToken> token = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RendezvousToken Exchange(int rank, Func<RendezvousToken> create, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (rank == 0)
        {
            try
            {
                token.TrySetResult(create());
            }
            catch (Exception ex)
            {
                token.TrySetException(ex);
                throw;
            }
        }

        try
        {
            if (!token.Task.Wait(timeout, cancellationToken))
            {
                throw new CollectiveTimeoutException($"rank {rank} waited {timeout.TotalSeconds:0.#} s for rank 0's rendezvous token");
            }
        }
        catch (AggregateException ex) when (ex.InnerException is not null)
        {
            throw new CollectiveAbortedException($"rank 0 failed to create the rendezvous token: {ex.InnerException.Message}", 0, ex.InnerException);
        }

        return token.Task.Result;
    }
}
