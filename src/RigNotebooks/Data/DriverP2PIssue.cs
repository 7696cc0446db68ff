namespace RigNotebooks.Data;

public enum PeerFailure
{
    Hang,
    Corrupt,
    Slow,
}

/// <summary>A driver branch with known P2P / collective problems (data/drivers/p2p-known-issues.json).</summary>
public sealed record DriverP2PIssue
{
    public required string Id { get; init; }

    /// <summary>The driver major versions affected, e.g. [545].</summary>
    public required IReadOnlyList<int> DriverBranches { get; init; }

    /// <summary>Architectures affected; empty means any.</summary>
    public IReadOnlyList<string> Architectures { get; init; } = [];

    public required PeerFailure Effect { get; init; }

    public required string Summary { get; init; }

    public required string Remedy { get; init; }

    public required IReadOnlyList<string> Sources { get; init; }

    public bool Matches(string driverVersion, string architecture) =>
        DriverVersions.Branch(driverVersion) is { } branch
        && DriverBranches.Contains(branch)
        && (Architectures.Count == 0 || Architectures.Contains(architecture, StringComparer.OrdinalIgnoreCase));
}

public static class DriverVersions
{
    /// <summary>The branch (major) of an NVIDIA driver version such as "545.23.08"; null if unparseable.</summary>
    public static int? Branch(string driverVersion)
    {
        var head = driverVersion.Split('.', 2)[0];
        return int.TryParse(head, out var major) ? major : null;
    }
}
