using RigNotebooks.Doctor.Rules;

namespace RigNotebooks.Doctor;

/// <summary>Runs the doctor's rules over a rig and orders the findings, most severe first.</summary>
public sealed class RigDoctor(IReadOnlyList<IDoctorRule> rules)
{
    /// <summary>The rules every rig is checked against.</summary>
    public static IReadOnlyList<IDoctorRule> StandardRules { get; } =
    [
        new KnownBadDriverRule(),
        new IommuTranslatingRule(),
        new AcsRule(),
        new LinkBelowMaxRule(),
        new NarrowLinkRule(),
        new LaneBudgetRule(),
        new GeForce40P2PRule(),
        new PsuHeadroomRule(),
        new NcclP2PDisabledRule(),
        new TorchSharpNativeRule(),
    ];

    public static RigDoctor Standard { get; } = new(StandardRules);

    public IReadOnlyList<Finding> Examine(DoctorInput input) =>
        rules.SelectMany(r => r.Check(input))
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.Code, StringComparer.Ordinal)
            .ToList();
}
