using System.Diagnostics;
using System.Globalization;
using RigNotebooks.Bandwidth.Cases;
using RigNotebooks.Errors;
using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Rigs;
using RigNotebooks.Simulation;

namespace RigNotebooks.Bandwidth.Execution;

/// <summary>
/// Runs work items through a worker and watches it. Each item has a deadline: when a worker goes past it, the
/// runner kills the worker, records the item as <c>hung after N s</c> (rows measured before stay), skips the rest of
/// that item's hang group, and carries on with a fresh worker. A worker that crashes costs the item it was running
/// a failed row, never the run. Items that need a different environment (NCCL_P2P_DISABLE=1) get their own worker.
/// The caller — CLI, notebook, test — never blocks longer than a deadline per item.
/// </summary>
public sealed class SuiteRunner(SuiteRunOptions? options = null)
{
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan FirstCaseExtra = TimeSpan.FromSeconds(Deadlines.FirstCaseExtraSeconds);

    private readonly SuiteRunOptions options = options ?? SuiteRunOptions.Default;

    public SuiteOutcome Run(IRig rig, CaseSettings settings, IReadOnlyList<WorkItem> items, Action<ResultRow>? sink = null, IProgress<SuiteProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunAsync(rig, settings, items, sink, progress, cancellationToken).GetAwaiter().GetResult();

    public async Task<SuiteOutcome> RunAsync(
        IRig rig,
        CaseSettings settings,
        IReadOnlyList<WorkItem> items,
        Action<ResultRow>? sink = null,
        IProgress<SuiteProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var run = new RunState(rig.Source, settings, items, sink, progress);
        var (command, executor) = ChooseExecutor(rig, run);
        var deadline = TimeSpan.FromSeconds(options.DeadlineSeconds ?? Deadlines.For(rig.Source));
        var startup = TimeSpan.FromSeconds(options.StartupSeconds);
        var (seed, noise) = rig is SimulatedRig sim ? (sim.Options.Seed, sim.Options.NoiseFraction) : (SimulationOptions.Default.Seed, 0.0);
        var fruitless = 0;

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            run.WaiveHungGroups();
            var pending = run.Pending();
            if (pending.Count == 0)
            {
                break;
            }

            // A real rig needs a fresh process per environment (NCCL reads NCCL_P2P_DISABLE once, at initialisation);
            // the simulated timers take the P2P mode from the request, so one worker serves every environment.
            var simulated = rig.Source == DataSource.Simulated;
            var key = simulated ? string.Empty : EnvironmentKey(pending[0]);
            var batch = pending.TakeWhile(e => simulated || EnvironmentKey(e) == key).ToList();
            var job = new WorkerJob(rig.Id, seed, noise, settings, batch.Select(e => e.Item).ToList());
            using var session = command is not null
                ? (IWorkerSession)ProcessWorkerSession.Start(command, job, batch[0].Case.Environment(batch[0].Item))
                : new InProcessWorkerSession(rig, job);
            var progressed = await WatchAsync(session, batch, run, deadline, startup, cancellationToken).ConfigureAwait(false);
            fruitless = progressed ? 0 : fruitless + 1;
            if (fruitless >= 2)
            {
                run.FailPending($"the worker ({session.Name}) ended twice without finishing a case; see the run's events");
                break;
            }
        }

        return new SuiteOutcome(run.Rows, run.Events, executor);
    }

    private (WorkerCommand? Command, string Executor) ChooseExecutor(IRig rig, RunState run)
    {
        var reopenable = rig.Id.StartsWith("sim:", StringComparison.OrdinalIgnoreCase)
                         || RigSelector.KnownKinds.Contains(rig.Id, StringComparer.OrdinalIgnoreCase);
        var whyNot = string.Empty;
        switch (options.Mode)
        {
            case WorkerMode.InProcess:
                whyNot = "in-process execution was chosen";
                break;
            case WorkerMode.ChildProcess:
                var command = options.Worker ?? WorkerLocator.Locate(out whyNot)
                              ?? throw new RigEnvironmentException($"No watchdog worker: {whyNot}.");
                if (!reopenable)
                {
                    throw new RigInputException($"Rig '{rig.Id}' cannot be reopened by a worker process: open it by its selection string (sim:<profile>, sim:<path.json>, local).");
                }

                return (command, $"child process: {command}");
            default:
                var found = options.Worker ?? WorkerLocator.Locate(out whyNot);
                if (found is not null && reopenable)
                {
                    return (found, $"child process: {found}");
                }

                whyNot = found is null ? whyNot : $"rig '{rig.Id}' cannot be reopened by name in a worker process";
                break;
        }

        if (rig.Source != DataSource.Simulated)
        {
            run.WaiveWatched($"needs the watchdog's child process, which is not available here ({whyNot}); a hanging peer copy would hang this process");
        }

        run.Events.Add($"items run in this process: {whyNot}");
        return (null, "in-process");
    }

    /// <summary>Feeds one worker's messages into the run until it finishes, hangs or dies. True when at least one
    /// item was accounted for (so a retry makes sense).</summary>
    private static async Task<bool> WatchAsync(IWorkerSession session, List<Entry> batch, RunState run, TimeSpan deadline, TimeSpan startup, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var ready = false;
        var done = false;
        var progressed = false;
        int? current = null;
        var currentStart = TimeSpan.Zero;
        var lastActivity = TimeSpan.Zero;
        string? fatal = null;

        while (true)
        {
            var allowance = progressed ? deadline : deadline + FirstCaseExtra;
            var limit = current is not null ? currentStart + allowance : ready ? lastActivity + allowance : startup;
            var remaining = limit - clock.Elapsed;
            WorkerMessage? message = null;
            var timedOut = remaining <= TimeSpan.Zero;
            var ended = false;
            if (!timedOut)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(remaining);
                try
                {
                    if (await session.Messages.WaitToReadAsync(wait.Token).ConfigureAwait(false))
                    {
                        session.Messages.TryRead(out message);
                    }
                    else
                    {
                        ended = true;
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    timedOut = true;
                }
                catch (OperationCanceledException)
                {
                    session.Kill();
                    throw;
                }
            }

            if (timedOut)
            {
                session.Kill();
                await WaitForExitAsync(session, run).ConfigureAwait(false);
                if (current is { } index)
                {
                    var entry = batch[index];
                    var seconds = Seconds((clock.Elapsed - currentStart).TotalSeconds);
                    run.Finish(entry, entry.Case.NotMeasured(entry.Item, run.Settings, RowStatus.Hung, $"hung after {seconds} s", run.Source));
                    run.MarkHung(entry, $"{entry.Case.Describe(entry.Item)} hung after {seconds} s");
                    run.Events.Add($"{entry.Case.Describe(entry.Item)} hung after {seconds} s; the watchdog killed the worker ({session.Name})");
                    return true;
                }

                if (!ready)
                {
                    run.Fail(batch, $"the worker ({session.Name}) did not start within {Seconds(startup.TotalSeconds)} s");
                    return true;
                }

                run.Events.Add($"the worker ({session.Name}) stalled between cases for {Seconds(deadline.TotalSeconds)} s and was killed");
                return progressed;
            }

            if (ended)
            {
                var exit = await WaitForExitAsync(session, run).ConfigureAwait(false);
                if (done)
                {
                    return true;
                }

                if (fatal is not null)
                {
                    run.Fail(batch, fatal);
                    return true;
                }

                var how = $"the worker ({session.Name}) ended with exit code {exit?.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}" +
                          (string.IsNullOrWhiteSpace(exit?.StderrTail) ? string.Empty : $": {LastLine(exit.StderrTail)}");
                if (current is { } index)
                {
                    var entry = batch[index];
                    run.Finish(entry, entry.Case.NotMeasured(entry.Item, run.Settings, RowStatus.Failed, $"crashed: {how}", run.Source));
                    run.Events.Add($"{entry.Case.Describe(entry.Item)} crashed: {how}");
                    return true;
                }

                run.Events.Add($"{how} before finishing its cases");
                return progressed;
            }

            switch (message!.Kind)
            {
                case WorkerMessage.ReadyKind:
                    ready = true;
                    lastActivity = clock.Elapsed;
                    break;
                case WorkerMessage.StartKind when message.Item is { } start && start >= 0 && start < batch.Count:
                    ready = true;
                    current = start;
                    currentStart = clock.Elapsed;
                    break;
                case WorkerMessage.RowKind when message.Row is { } row:
                    run.Record(row);
                    break;
                case WorkerMessage.EndKind when message.Item is { } end && end >= 0 && end < batch.Count:
                    run.Finish(batch[end], null);
                    progressed = true;
                    current = null;
                    lastActivity = clock.Elapsed;
                    break;
                case WorkerMessage.DoneKind:
                    done = true;
                    break;
                case WorkerMessage.FatalKind:
                    fatal = message.Text ?? "the worker gave up without saying why";
                    break;
            }
        }
    }

    private static async Task<WorkerExit?> WaitForExitAsync(IWorkerSession session, RunState run)
    {
        if (await Task.WhenAny(session.Exit, Task.Delay(ExitGrace)).ConfigureAwait(false) == session.Exit)
        {
            return await session.Exit.ConfigureAwait(false);
        }

        run.Events.Add($"the worker ({session.Name}) did not exit within {ExitGrace.TotalSeconds} s of being killed; it may be stuck in the driver and is left behind");
        return null;
    }

    private static string EnvironmentKey(Entry entry) =>
        string.Join(';', entry.Case.Environment(entry.Item).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value ?? "<unset>"}"));

    internal static string Seconds(double seconds) => Math.Round(seconds, 1).ToString("0.#", CultureInfo.InvariantCulture);

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? string.Empty;

    private sealed class Entry(WorkItem item, BandwidthCase @case)
    {
        public WorkItem Item { get; } = item;

        public BandwidthCase Case { get; } = @case;

        public bool Finished { get; set; }
    }

    /// <summary>The run's bookkeeping: which items are accounted for, the rows so far, the hang groups to skip.</summary>
    private sealed class RunState(DataSource source, CaseSettings settings, IReadOnlyList<WorkItem> items, Action<ResultRow>? sink, IProgress<SuiteProgress>? progress)
    {
        private readonly List<Entry> entries = items.Select(i => new Entry(i, BandwidthCases.Find(i.Case))).ToList();
        private readonly Dictionary<string, string> hungGroups = new(StringComparer.Ordinal);

        public DataSource Source { get; } = source;

        public CaseSettings Settings { get; } = settings;

        public List<ResultRow> Rows { get; } = [];

        public List<string> Events { get; } = [];

        public List<Entry> Pending() => entries.Where(e => !e.Finished).ToList();

        public void Record(ResultRow row)
        {
            Rows.Add(row);
            sink?.Invoke(row);
        }

        public void Finish(Entry entry, ResultRow? row)
        {
            if (row is not null)
            {
                Record(row);
            }

            entry.Finished = true;
            progress?.Report(new SuiteProgress(entries.Count(e => e.Finished), entries.Count, entry.Case.Describe(entry.Item)));
        }

        public void MarkHung(Entry entry, string what) => hungGroups.TryAdd(entry.Case.HangGroup(entry.Item), what);

        public void WaiveHungGroups()
        {
            foreach (var entry in Pending())
            {
                if (hungGroups.TryGetValue(entry.Case.HangGroup(entry.Item), out var what))
                {
                    Finish(entry, entry.Case.NotMeasured(entry.Item, Settings, RowStatus.Waived, $"not attempted: {what} earlier in this run", Source));
                }
            }
        }

        public void WaiveWatched(string why)
        {
            foreach (var entry in Pending().Where(e => e.Case.NeedsWatchdog))
            {
                Finish(entry, entry.Case.NotMeasured(entry.Item, Settings, RowStatus.Waived, why, Source));
            }
        }

        public void Fail(IEnumerable<Entry> batch, string why)
        {
            foreach (var entry in batch.Where(e => !e.Finished))
            {
                Finish(entry, entry.Case.NotMeasured(entry.Item, Settings, RowStatus.Failed, why, Source));
            }

            Events.Add(why);
        }

        public void FailPending(string why) => Fail(Pending(), why);
    }
}
