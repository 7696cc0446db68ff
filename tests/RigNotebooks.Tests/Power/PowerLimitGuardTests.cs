using RigNotebooks.Errors;
using RigNotebooks.Model;
using RigNotebooks.Power;

namespace RigNotebooks.Tests.Power;

public sealed class PowerLimitGuardTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("rig-guard-").FullName;
    private readonly RigDescription rig = TestRigs.Sim("blog-3x3090").Describe();

    private string JournalPath => Path.Combine(dir, "journal.json");

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Journal_is_on_disk_with_the_original_limits_before_the_first_change()
    {
        var control = new FakePowerControl(3);
        PowerJournal? seen = null;
        control.BeforeSet = (_, _) => seen ??= PowerJournalFile.Read(JournalPath);
        using (var guard = PowerLimitGuard.Begin(control, rig, JournalPath, "test", handleSignals: false))
        {
            guard.SetAllW(250);
        }

        Assert.NotNull(seen);
        Assert.Equal([285.0, 285.0, 285.0], seen!.Gpus.Select(g => g.OriginalLimitW));
        Assert.Equal(rig.Gpus.Select(g => g.Uuid), seen.Gpus.Select(g => g.Uuid));
    }

    [Fact]
    public void Restores_on_normal_end_and_deletes_the_journal()
    {
        var control = new FakePowerControl(3);
        using (var guard = PowerLimitGuard.Begin(control, rig, JournalPath, "test", handleSignals: false))
        {
            guard.SetAllW(225);
            Assert.Equal([225.0, 225.0, 225.0], control.Limits);
        }

        Assert.Equal([285.0, 285.0, 285.0], control.Limits);
        Assert.False(File.Exists(JournalPath));
    }

    [Fact]
    public void Restores_when_the_work_throws()
    {
        var control = new FakePowerControl(3);
        Assert.Throws<InvalidOperationException>((Action)(() =>
        {
            using var guard = PowerLimitGuard.Begin(control, rig, JournalPath, "test", handleSignals: false);
            guard.SetLimitW(1, 200);
            throw new InvalidOperationException("the workload crashed");
        }));

        Assert.Equal([285.0, 285.0, 285.0], control.Limits);
        Assert.False(File.Exists(JournalPath));
    }

    [Fact]
    public void No_change_is_accepted_after_the_restore()
    {
        var control = new FakePowerControl(3);
        var guard = PowerLimitGuard.Begin(control, rig, JournalPath, "test", handleSignals: false);
        guard.SetAllW(300);
        guard.Restore();
        Assert.Throws<OperationCanceledException>(() => guard.SetAllW(250));
        guard.Dispose();
        Assert.Equal([285.0, 285.0, 285.0], control.Limits);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(99)]
    [InlineData(double.NaN)]
    public void Refuses_caps_outside_the_constraints_and_changes_nothing(double cap)
    {
        var control = new FakePowerControl(3);
        using var guard = PowerLimitGuard.Begin(control, rig, JournalPath, "test", handleSignals: false);
        var ex = Assert.Throws<RigInputException>(() => guard.SetAllW(cap));
        Assert.Contains("100–350 W", ex.Message);
        Assert.Empty(control.Sets);
    }

    [Fact]
    public void Without_permission_it_refuses_with_the_remedy_and_writes_no_journal()
    {
        var control = new FakePowerControl(3) { WhyCannotSet = "not running as root (euid 1000)" };
        var ex = Assert.Throws<PowerLimitPermissionException>(() => PowerLimitGuard.Begin(control, rig, JournalPath, "test", handleSignals: false));
        Assert.IsAssignableFrom<RigEnvironmentException>(ex);
        Assert.Contains("not running as root", ex.Message);
        Assert.Contains("sudo", ex.Message);
        Assert.Contains("--dry-run", ex.Message);
        Assert.False(File.Exists(JournalPath));
    }

    [Fact]
    public void A_journal_left_by_a_dead_process_blocks_a_new_change_until_restored()
    {
        var control = new FakePowerControl(3);
        PowerJournalFile.Write(JournalPath, Journal(pid: int.MaxValue - 7, originalW: 285));
        control.SetLimitW(0, 150); // what the dead sweep left behind

        var ex = Assert.Throws<RigEnvironmentException>(() => PowerLimitGuard.Begin(control, rig, JournalPath, "test", handleSignals: false));
        Assert.Contains("rig power restore", ex.Message);

        var report = PowerRestore.Restore(control, rig, PowerJournalFile.Read(JournalPath)!);
        Assert.True(report.AllRestored);
        Assert.Equal([285.0, 285.0, 285.0], control.Limits);
        Assert.True(report.Gpus[0].Changed);
        Assert.False(report.Gpus[1].Changed);
    }

    [Fact]
    public void A_failed_restore_keeps_the_journal_and_still_restores_the_other_gpus()
    {
        var control = new FakePowerControl(3);
        var guard = PowerLimitGuard.Begin(control, rig, JournalPath, "test", handleSignals: false);
        guard.SetAllW(250);
        control.FailingGpu = 1;
        var report = guard.Restore();
        guard.Dispose();

        Assert.False(report.AllRestored);
        Assert.Equal(285, control.Limits[0]);
        Assert.Equal(285, control.Limits[2]);
        Assert.Contains("GPU 1: NOT restored", report.Describe());
        Assert.True(File.Exists(JournalPath));
    }

    [Fact]
    public void Restore_matches_gpus_by_uuid_not_index()
    {
        var control = new FakePowerControl(3);
        var journal = Journal(pid: 1, originalW: 285) with
        {
            Gpus = [new JournalGpu { Index = 0, Uuid = rig.Gpus[2].Uuid, OriginalLimitW = 300, MinW = 100, MaxW = 350 }],
        };
        var report = PowerRestore.Restore(control, rig, journal);
        Assert.True(report.AllRestored);
        Assert.Equal([285.0, 285.0, 300.0], control.Limits);
    }

    private PowerJournal Journal(int pid, double originalW) => new()
    {
        RigId = rig.RigId,
        Purpose = "power sweep",
        Host = Environment.MachineName,
        Pid = pid,
        CreatedUtc = DateTimeOffset.UtcNow,
        Gpus = rig.Gpus.Select(g => new JournalGpu { Index = g.Index, Uuid = g.Uuid, OriginalLimitW = originalW, MinW = 100, MaxW = 350 }).ToList(),
    };
}
