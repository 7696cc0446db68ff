namespace RigNotebooks.Bandwidth.Measurement;

/// <summary>Which way a timed copy goes.</summary>
public enum CopyRoute
{
    HostToDevice,
    DeviceToHost,

    /// <summary>From one buffer to another in the same GPU's memory.</summary>
    DeviceLocal,

    /// <summary>From <see cref="CopyRequest.Gpu"/> to <see cref="CopyRequest.Peer"/>.</summary>
    Peer,
}

/// <summary>The kind of host buffer on the host side of a copy.</summary>
public enum HostMemory
{
    /// <summary>Page-locked: the copy engine reads it directly (nvbandwidth's default).</summary>
    Pinned,

    /// <summary>Ordinary malloc'd memory: the driver stages it through its own pinned buffer.</summary>
    Pageable,
}

/// <summary>One timed copy case: route, GPU(s), buffer size and the nvbandwidth-style counts.</summary>
/// <param name="PeerAccess">For peer copies: true = P2P enabled (direct DMA), false = staged through host memory.</param>
/// <param name="Bidirectional">For peer copies: copy both ways at once; the timing then counts both directions' bytes.</param>
public sealed record CopyRequest(
    CopyRoute Route,
    int Gpu,
    int? Peer,
    long SizeBytes,
    int CopiesPerSample,
    int Samples,
    int WarmupCopies,
    HostMemory HostMemory = HostMemory.Pinned,
    bool PeerAccess = true,
    bool Bidirectional = false)
{
    /// <summary>Bytes moved by one sample: size × copies, twice that when bidirectional.</summary>
    public long BytesPerSample => SizeBytes * CopiesPerSample * (Bidirectional ? 2 : 1);
}
