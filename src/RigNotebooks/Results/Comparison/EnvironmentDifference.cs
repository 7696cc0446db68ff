namespace RigNotebooks.Results.Comparison;

/// <summary>What kind of fact an environment difference is about.</summary>
public enum DifferenceCategory
{
    /// <summary>Measured vs simulated vs imported: never mixed silently, always flagged.</summary>
    Source,

    /// <summary>Made here vs imported from an archive.</summary>
    Provenance,

    /// <summary>The rig (its id or profile) and the number of GPUs.</summary>
    Rig,

    /// <summary>Driver, CUDA driver, kernel command line, IOMMU.</summary>
    Platform,

    /// <summary>Per GPU: model, PCIe slot, link generation and width, power limit.</summary>
    Gpu,

    /// <summary>The kit, .NET, OS and architecture the runs were made with.</summary>
    Software,

    /// <summary>What the experiment was asked to do (its spec).</summary>
    Spec,
}

/// <summary>A fact that differs between the runs and could explain their deltas. Identities (hostnames, GPU UUIDs,
/// serials) are never compared: the same rig under another name is the same rig.</summary>
/// <param name="Field">What differs, e.g. <c>driver</c>, <c>gpu1.link</c>, <c>kernel command line</c>, <c>spec.sizes</c>.</param>
/// <param name="Values">The value in each run, in run order; null where a run does not record it.</param>
/// <param name="Detail">For long values, what changed against the baseline (kernel command line: <c>+iommu=pt -amd_iommu=on</c>).</param>
/// <param name="Flagged">True for differences that make the deltas suspect by themselves (mixing measured and simulated data).</param>
public sealed record EnvironmentDifference(
    DifferenceCategory Category,
    string Field,
    IReadOnlyList<string?> Values,
    string? Detail,
    bool Flagged);
