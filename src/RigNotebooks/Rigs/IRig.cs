using RigNotebooks.Model;

namespace RigNotebooks.Rigs;

/// <summary>
/// The hardware seam. A rig describes itself and offers capabilities (copies, telemetry, power control,
/// collectives, …) that experiments ask for by type. A rig that cannot offer one says why, so the experiment
/// records a waived case instead of a silent zero.
/// </summary>
public interface IRig : IDisposable
{
    /// <summary>The selection string that opened this rig: <c>sim:blog-3x3090</c>, <c>sim:/path/x.json</c>, <c>local</c>.</summary>
    string Id { get; }

    DataSource Source { get; }

    /// <summary>GPUs, links, topology, P2P capability, platform, PSUs, cooling.</summary>
    RigDescription Describe();

    /// <summary>A capability of this rig, or the reason it has none.</summary>
    Capability<T> Get<T>()
        where T : class;
}
