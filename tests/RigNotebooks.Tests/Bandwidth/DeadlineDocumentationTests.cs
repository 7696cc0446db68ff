using System.Globalization;
using System.Text.RegularExpressions;
using RigNotebooks.Bandwidth.Execution;

namespace RigNotebooks.Tests.Bandwidth;

/// <summary>The README states the watchdog's default deadlines; they must be the ones the code uses.</summary>
public sealed class DeadlineDocumentationTests
{
    [Fact]
    public void The_readme_states_the_deadlines_the_watchdog_uses()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot.Path, "README.md"));
        var stated = Regex.Match(readme, @"\(`--deadline`; (?<sim>[\d.]+) s on a simulated rig, (?<real>[\d.]+) s on a real one\)");

        Assert.True(stated.Success, "the README no longer states the deadlines in the expected sentence");
        Assert.Equal(Deadlines.SimulatedSeconds, double.Parse(stated.Groups["sim"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(Deadlines.MeasuredSeconds, double.Parse(stated.Groups["real"].Value, CultureInfo.InvariantCulture));
    }
}
