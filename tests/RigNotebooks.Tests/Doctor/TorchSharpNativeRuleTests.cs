using RigNotebooks.Data;
using RigNotebooks.Doctor;
using RigNotebooks.Doctor.Rules;
using RigNotebooks.Host;
using RigNotebooks.Native;

namespace RigNotebooks.Tests.Doctor;

public class TorchSharpNativeRuleTests
{
    private static readonly LibStdCxxInfo Debian12 = new("/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30", "GLIBCXX_3.4.30", ["GLIBCXX_3.4.29", "GLIBCXX_3.4.30"], null);
    private static readonly LibStdCxxInfo Gcc13 = new("/usr/lib/libstdc++.so.6.0.32", "GLIBCXX_3.4.32", ["GLIBCXX_3.4.30", "GLIBCXX_3.4.31", "GLIBCXX_3.4.32"], null);

    private static List<Finding> Check(TorchSharpNativeFacts facts, bool simulated = false)
    {
        var rig = simulated ? TestRigs.Sim("blog-3x3090").Describe() : HostDescription.Describe("cpu");
        return new TorchSharpNativeRule(() => facts).Check(new DoctorInput(rig, new Dictionary<string, string>(), ReferenceData.Default)).ToList();
    }

    private static TorchSharpNativeFacts Facts(LibStdCxxInfo system, bool weak) =>
        new(system, [new TorchSharpNativeCopy("/app/runtimes/linux-x64/native/libLibTorchSharp.so", true, weak, null)], "/app/rig-torchsharp-native.json", "the build step patched it");

    [Fact]
    public void A_patched_copy_on_debian_12_is_a_hint_naming_the_level_and_the_build()
    {
        var f = Assert.Single(Check(Facts(Debian12, weak: true)));
        Assert.Equal(Severity.Hint, f.Severity);
        Assert.Contains("GLIBCXX_3.4.30", f.Title);
        Assert.Contains("the build step patched it", f.Evidence);
    }

    [Fact]
    public void An_unpatched_copy_on_debian_12_is_a_warning_with_the_fix()
    {
        var f = Assert.Single(Check(Facts(Debian12, weak: false)));
        Assert.Equal(Severity.Warning, f.Severity);
        Assert.Contains("PatchPackageCache", f.Remedy);
    }

    [Fact]
    public void A_new_enough_libstdcxx_needs_nothing()
    {
        Assert.Equal(Severity.Hint, Assert.Single(Check(Facts(Gcc13, weak: false))).Severity);
    }

    [Fact]
    public void Simulated_rigs_and_builds_without_torchsharp_get_no_finding()
    {
        Assert.Empty(Check(Facts(Debian12, weak: false), simulated: true));
        Assert.Empty(Check(new TorchSharpNativeFacts(Debian12, [], null, null)));
    }

    [Fact]
    public void This_machines_libstdcxx_is_read_from_its_version_definitions()
    {
        var info = LibStdCxxProbe.Probe();
        if (info.Path is null)
        {
            return; // no libstdc++ on this machine
        }

        Assert.StartsWith("GLIBCXX_3.4.", info.Level, StringComparison.Ordinal);
        Assert.Contains("GLIBCXX_3.4", info.Versions);
    }
}
