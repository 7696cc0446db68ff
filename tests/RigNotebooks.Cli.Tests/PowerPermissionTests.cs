using RigNotebooks.Model;
using RigNotebooks.Power;
using RigNotebooks.Rigs;
using RigNotebooks.Simulation;

namespace RigNotebooks.Cli.Tests;

/// <summary>A rig whose power control refuses like NVML without root: the sweep exits 3 with the exact remedy and
/// creates nothing; a dry run still works. In-process, through a rig kind registered for the test.</summary>
public sealed class PowerPermissionTests : IDisposable
{
    private const string Kind = "test-not-root";
    private readonly TempFolder temp = new();

    public PowerPermissionTests()
    {
        RigSelector.Register(Kind, _ => new NotRootRig((SimulatedRig)RigSelector.Open("sim:blog-3x3090")));
    }

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Without_root_the_sweep_exits_3_saying_sudo_or_dry_run_and_writes_no_run()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await RigCli.RunAsync(["power", "sweep", "--rig", Kind, "--results", temp.File("results"), "--journal", temp.File("journal.json")], stdout, stderr);

        Assert.Equal(3, exit);
        var message = stderr.ToString();
        Assert.Contains("Not running as root (effective uid 1000)", message);
        Assert.Contains("sudo", message);
        Assert.Contains("--dry-run", message);
        Assert.False(File.Exists(temp.File("journal.json")));
        Assert.False(Directory.Exists(temp.File("results")) && Directory.EnumerateDirectories(temp.File("results")).Any());
    }

    [Fact]
    public async Task Without_root_a_dry_run_still_measures_at_the_current_cap()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await RigCli.RunAsync(["power", "sweep", "--rig", Kind, "--dry-run", "--json", "--rate-hz", "2", "--results", temp.File("results")], stdout, stderr);
        Assert.True(exit == 0, stderr.ToString());
        Assert.Contains("\"dryRun\": true", stdout.ToString());
    }

    private sealed class NotRootRig(SimulatedRig inner) : IRig
    {
        public string Id => Kind;

        public DataSource Source => DataSource.Simulated;

        public RigDescription Describe() => inner.Describe();

        public Capability<T> Get<T>()
            where T : class =>
            typeof(T) == typeof(IPowerLimitControl)
                ? Capability<T>.Of((T)(object)new RefusingControl(inner.Get<IPowerLimitControl>().Require()))
                : inner.Get<T>();

        public void Dispose() => inner.Dispose();
    }

    private sealed class RefusingControl(IPowerLimitControl inner) : IPowerLimitControl
    {
        public int GpuCount => inner.GpuCount;

        public string? WhyCannotSet => "Not running as root (effective uid 1000)";

        public PowerLimits GetLimits(int gpu) => inner.GetLimits(gpu);

        public void SetLimitW(int gpu, double watts) => throw new PowerLimitPermissionException(WhyCannotSet!);
    }
}
