using RigNotebooks.Data;

namespace RigNotebooks.Doctor.Rules;

/// <summary>P2P reported by a driver branch with known peer-transfer problems (data/drivers/p2p-known-issues.json).</summary>
public sealed class KnownBadDriverRule : IDoctorRule
{
    public IEnumerable<Finding> Check(DoctorInput input)
    {
        var rig = input.Rig;
        var driver = rig.Platform.DriverVersion;
        var reported = rig.PeerPairs.Where(p => p.P2P.Supported && p.From < p.To).ToList();
        var issues = rig.Gpus.Select(g => g.Architecture).Distinct()
            .SelectMany(arch => input.Data.DriverIssuesFor(driver, arch))
            .DistinctBy(i => i.Id);
        foreach (var issue in issues)
        {
            var pairs = reported.Count == 0
                ? "no GPU pair reports P2P, so peer transfers are not attempted"
                : $"the driver reports P2P between GPU {string.Join(", ", reported.Select(p => $"{p.From}<->{p.To}"))}";
            var severity = reported.Count == 0 ? Severity.Warning : issue.Effect == PeerFailure.Slow ? Severity.Warning : Severity.Error;
            yield return new Finding(
                "p2p-known-bad-driver",
                severity,
                $"Driver {driver} has a known P2P problem: peer transfers {Verb(issue.Effect)}",
                $"Driver {driver} (branch {DriverVersions.Branch(driver)}); {pairs}. {issue.Summary}",
                issue.Remedy,
                issue.Sources);
        }
    }

    private static string Verb(PeerFailure effect) => effect switch
    {
        PeerFailure.Hang => "hang",
        PeerFailure.Corrupt => "deliver wrong data",
        _ => "run slowly",
    };
}
