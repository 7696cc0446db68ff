using System.Diagnostics;
using RigNotebooks.Bandwidth;
using RigNotebooks.Bandwidth.Execution;
using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Rigs;

namespace RigNotebooks.Tests.Bandwidth;

/// <summary>The watchdog against real child processes: a test double (tests/RigNotebooks.WatchdogDouble) that hangs,
/// crashes, never starts, or exits without a word — and one that behaves, to check the environment per P2P mode.</summary>
public sealed class WatchdogTests
{
    private static readonly CaseSettings Settings = CaseSettings.Default;

    private static readonly WorkItem Host = new("host_to_device_pinned", 0);
    private static readonly WorkItem PeerOn = new("peer_unidirectional", 0, 1, true);
    private static readonly WorkItem PeerOn2 = new("peer_unidirectional", 1, 0, true);
    private static readonly WorkItem PeerOff = new("peer_unidirectional", 0, 1, false);

    [Fact]
    public async Task A_hanging_child_is_killed_at_its_deadline_and_the_rows_before_the_hang_are_kept()
    {
        using var rig = new DoubleRig();
        var clock = Stopwatch.StartNew();
        var streamed = new List<ResultRow>();

        var outcome = await Runner("hang-on-peer", deadline: 1).RunAsync(rig, Settings, [Host, PeerOn, PeerOn2, PeerOff], streamed.Add);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the caller waited {clock.Elapsed}");
        Assert.Equal(outcome.Rows, streamed);
        Assert.Contains(outcome.Rows, r => r.Case == Host.Case && r.Status == RowStatus.Ok);
        Assert.Contains(outcome.Rows, r => r.Note == "measured before the hang");
        var hung = Assert.Single(outcome.Rows, r => r.Status == RowStatus.Hung);
        Assert.Equal((0, 1), (hung.Gpu, hung.Peer));
        Assert.Matches(@"^hung after \d+(\.\d)? s$", hung.Note);
        var skipped = Assert.Single(outcome.Rows, r => r.Status == RowStatus.Waived);
        Assert.Equal((1, 0), (skipped.Gpu, skipped.Peer));
        Assert.StartsWith("not attempted: peer_unidirectional GPU 0->1 p2p=on hung after", skipped.Note);
        Assert.Contains(outcome.Rows, r => r is { Gpu: 0, Peer: 1, Status: RowStatus.Ok } && r.Parameter("p2p") == "off");
        Assert.Contains(outcome.Events, e => e.Contains("hung after", StringComparison.Ordinal) && e.Contains("killed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_crashing_child_costs_the_case_it_was_running_and_the_run_goes_on()
    {
        using var rig = new DoubleRig();
        var outcome = await Runner("crash-on-peer", deadline: 10).RunAsync(rig, Settings, [Host, PeerOn, PeerOff]);

        var failed = Assert.Single(outcome.Rows, r => r.Status == RowStatus.Failed);
        Assert.Equal((0, 1), (failed.Gpu, failed.Peer));
        Assert.Contains("exit code 139", failed.Note);
        Assert.Contains("Segmentation fault (double)", failed.Note);
        Assert.Contains(outcome.Rows, r => r.Note == "measured before the hang");
        Assert.Contains(outcome.Rows, r => r.Status == RowStatus.Ok && r.Parameter("p2p") == "off");
    }

    [Fact]
    public async Task A_child_that_exits_without_a_word_fails_the_items_after_one_retry_instead_of_looping()
    {
        using var rig = new DoubleRig();
        var outcome = await Runner("silent-exit", deadline: 10).RunAsync(rig, Settings, [Host, PeerOff]);

        Assert.Equal(2, outcome.Rows.Count);
        Assert.All(outcome.Rows, r => Assert.Equal(RowStatus.Failed, r.Status));
        Assert.Contains(outcome.Events, e => e.Contains("exit code 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_child_that_never_starts_is_killed_after_the_startup_allowance()
    {
        using var rig = new DoubleRig();
        var options = new SuiteRunOptions(WorkerMode.ChildProcess, 10, StartupSeconds: 1, Worker: DoubleCommand("no-start"));
        var outcome = await new SuiteRunner(options).RunAsync(rig, Settings, [Host]);

        var row = Assert.Single(outcome.Rows);
        Assert.Equal(RowStatus.Failed, row.Status);
        Assert.StartsWith("the worker (pid ", row.Note);
        Assert.EndsWith("did not start within 1 s", row.Note);
    }

    [Fact]
    public async Task Each_p2p_mode_of_all_reduce_runs_in_its_own_child_with_nccl_p2p_disable_set_only_for_off()
    {
        using var rig = new DoubleRig();
        WorkItem AllReduce(bool p2p) => new("allreduce", P2P: p2p, SizeBytes: 8, InPlace: false, Gpus: [0, 1]);
        var outcome = await Runner("env", deadline: 10).RunAsync(rig, Settings, [AllReduce(true), AllReduce(false)]);

        Assert.Equal(["<unset>", "1"], outcome.Rows.Select(r => r.Note ?? "(none)").ToList());
    }

    [Fact]
    public void Cancelling_the_caller_kills_the_child_and_returns()
    {
        using var rig = new DoubleRig();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();

        Assert.ThrowsAny<OperationCanceledException>(() => Runner("hang-on-peer", deadline: 600).Run(rig, Settings, [PeerOn], cancellationToken: cancel.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void A_worker_stuck_in_a_hang_kills_itself_when_its_stdin_ends_because_the_parent_died()
    {
        if (!ProcFs.Available)
        {
            return;
        }

        // The double runs the same lifeline as `rig worker`; from the child's side a parent's death is its stdin ending.
        var command = DoubleCommand("hang-on-peer");
        var start = new ProcessStartInfo(command.FileName) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in command.PrefixArguments.Append("worker"))
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start)!;
        try
        {
            child.StandardInput.WriteLine(new WorkerJob(DoubleRig.Kind, 1, 0, Settings, [Host, PeerOn]).ToJson());
            child.StandardInput.Flush();
            while (child.StandardOutput.ReadLine() is { } line && !line.Contains("measured before the hang", StringComparison.Ordinal))
            {
            }

            Thread.Sleep(100);
            Assert.False(child.HasExited, "the double should be hanging");

            child.StandardInput.Close();

            Assert.True(child.WaitForExit(TimeSpan.FromSeconds(5)), "the hung worker kept running after its stdin ended");
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }
    }

    private static SuiteRunner Runner(string mode, double deadline) =>
        new(new SuiteRunOptions(WorkerMode.ChildProcess, deadline, Worker: DoubleCommand(mode)));

    private static WorkerCommand DoubleCommand(string mode) =>
        new(WorkerLocator.DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "RigNotebooks.WatchdogDouble.dll"), mode]);

    /// <summary>A "real" (measured) rig as far as the runner can tell, reopenable by name; the double never opens it.</summary>
    private sealed class DoubleRig : IRig
    {
        public const string Kind = "watchdog-double";

        private readonly RigDescription description = TestRigs.Sim("blog-3x3090").Describe() with { RigId = Kind, Source = DataSource.Measured };

        static DoubleRig() => RigSelector.Register(Kind, _ => new DoubleRig());

        public string Id => Kind;

        public DataSource Source => DataSource.Measured;

        public RigDescription Describe() => description;

        public Capability<T> Get<T>()
            where T : class => Capability<T>.Unavailable("the double rig measures nothing itself");

        public void Dispose()
        {
        }
    }
}
