using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using RigNotebooks.Errors;
using RigNotebooks.Model;

namespace RigNotebooks.Power;

/// <summary>
/// The only way experiments change power limits. <see cref="Begin"/> refuses when limits cannot be set or an earlier
/// change was never restored, then writes the original limits to a journal on disk before anything changes. The limits
/// are restored when the guard is disposed (normal end, exception, cancellation), when the process receives SIGINT
/// (Ctrl-C), SIGTERM, SIGQUIT or SIGHUP (restored inside the signal handler, which then lets the work end cleanly), and at
/// process exit. After a <c>kill -9</c> the journal remains and <c>rig power restore</c> puts the limits back.
/// Caps outside a GPU's constraints are refused. Thread-safe: a restore and a change never interleave, and no change is
/// accepted after a restore.
/// </summary>
public sealed class PowerLimitGuard : IDisposable
{
    private static readonly PosixSignal[] Signals = [PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT, PosixSignal.SIGHUP];

    private readonly object gate = new();
    private readonly IPowerLimitControl control;
    private readonly RigDescription rig;
    private readonly List<PosixSignalRegistration> registrations = [];
    private readonly CancellationTokenSource signalled = new();
    private bool changed;
    private bool closed;
    private PowerRestoreReport? restoreReport;

    private PowerLimitGuard(IPowerLimitControl control, RigDescription rig, string journalPath, PowerJournal journal)
    {
        this.control = control;
        this.rig = rig;
        JournalPath = journalPath;
        Journal = journal;
    }

    public string JournalPath { get; }

    public PowerJournal Journal { get; }

    /// <summary>Cancelled when a termination signal arrives (the limits are already restored by then).</summary>
    public CancellationToken SignalToken => signalled.Token;

    /// <summary>The signal that stopped the work, if one did.</summary>
    public PosixSignal? ReceivedSignal { get; private set; }

    /// <summary>The outcome of the restore, once it has happened.</summary>
    public PowerRestoreReport? RestoreReport
    {
        get
        {
            lock (gate)
            {
                return restoreReport;
            }
        }
    }

    /// <summary>Checks that limits can be set and nothing is pending from an earlier change, then journals the current limits.</summary>
    /// <param name="handleSignals">Restore on termination signals (off only for tests that run many guards in one process).</param>
    public static PowerLimitGuard Begin(IPowerLimitControl control, RigDescription rig, string journalPath, string purpose, bool handleSignals = true)
    {
        if (control.WhyCannotSet is { } why)
        {
            throw new PowerLimitPermissionException(why);
        }

        if (PowerJournalFile.Read(journalPath) is { } pending)
        {
            var who = pending.WriterIsAlive()
                ? $"process {pending.Pid} ({pending.Purpose}, started {pending.CreatedUtc:u}) is still changing the limits; wait for it to end (it restores them) or stop it"
                : $"a {pending.Purpose} (process {pending.Pid}, {pending.CreatedUtc:u}) changed the limits and did not restore them; run `rig power restore --rig {pending.RigId}` first";
            throw new RigEnvironmentException($"The power-limit journal {journalPath} already exists: {who}.");
        }

        if (control.GpuCount != rig.Gpus.Count)
        {
            throw new RigEnvironmentException($"The power control sees {control.GpuCount} GPUs but the rig describes {rig.Gpus.Count}; refusing to change limits.");
        }

        using var self = Process.GetCurrentProcess();
        var journal = new PowerJournal
        {
            RigId = rig.RigId,
            Purpose = purpose,
            Host = Environment.MachineName,
            Pid = Environment.ProcessId,
            ProcessStartedUtc = self.StartTime.ToUniversalTime(),
            CreatedUtc = DateTimeOffset.UtcNow,
            Gpus = rig.Gpus.Select(g =>
            {
                var limits = control.GetLimits(g.Index);
                return new JournalGpu { Index = g.Index, Uuid = g.Uuid, OriginalLimitW = limits.CurrentW, MinW = limits.MinW, MaxW = limits.MaxW };
            }).ToList(),
        };
        PowerJournalFile.Write(journalPath, journal);

        var guard = new PowerLimitGuard(control, rig, journalPath, journal);
        if (handleSignals)
        {
            guard.RegisterSignals();
        }

        return guard;
    }

    /// <summary>The limits before the guard changed anything.</summary>
    public double OriginalLimitW(int gpu) => Journal.Gpus.First(g => g.Index == gpu).OriginalLimitW;

    /// <summary>Sets one GPU's limit after checking it against the constraints journalled at the start.</summary>
    public void SetLimitW(int gpu, double watts)
    {
        var entry = Journal.Gpus.FirstOrDefault(g => g.Index == gpu)
            ?? throw new RigInputException($"GPU {gpu} is not on this rig (it has {Journal.Gpus.Count}).");
        if (!(watts >= entry.MinW && watts <= entry.MaxW))
        {
            throw new RigInputException(
                $"{F(watts)} W is outside GPU {gpu}'s power-limit range {F(entry.MinW)}–{F(entry.MaxW)} W; refused.");
        }

        lock (gate)
        {
            if (closed)
            {
                throw new OperationCanceledException("The power limits have been restored; no further change is allowed.");
            }

            changed = true;
            control.SetLimitW(gpu, watts);
        }
    }

    /// <summary>Sets every GPU to the same cap (each checked first, so a refused cap changes nothing).</summary>
    public void SetAllW(double watts)
    {
        foreach (var g in Journal.Gpus)
        {
            if (!(watts >= g.MinW && watts <= g.MaxW))
            {
                throw new RigInputException($"{F(watts)} W is outside GPU {g.Index}'s power-limit range {F(g.MinW)}–{F(g.MaxW)} W; refused.");
            }
        }

        foreach (var g in Journal.Gpus)
        {
            SetLimitW(g.Index, watts);
        }
    }

    /// <summary>Puts every journalled limit back and deletes the journal when all are back (kept otherwise, for
    /// <c>rig power restore</c>). Idempotent; after it no change is accepted.</summary>
    public PowerRestoreReport Restore()
    {
        lock (gate)
        {
            if (restoreReport is { AllRestored: true })
            {
                return restoreReport;
            }

            closed = true;
            restoreReport = PowerRestore.Restore(control, rig, Journal);
            if (restoreReport.AllRestored)
            {
                try
                {
                    PowerJournalFile.Delete(JournalPath);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The limits are back; a stale journal only makes the next start ask for `rig power restore`, which is harmless.
                }
            }

            return restoreReport;
        }
    }

    /// <summary>Whether any limit was changed through this guard.</summary>
    public bool Changed
    {
        get
        {
            lock (gate)
            {
                return changed;
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Restore();
        }
        finally
        {
            foreach (var r in registrations)
            {
                r.Dispose();
            }

            registrations.Clear();
            AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
            signalled.Dispose();
        }
    }

    private void RegisterSignals()
    {
        foreach (var signal in Signals)
        {
            try
            {
                registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
            }
            catch (PlatformNotSupportedException)
            {
                // SIGQUIT/SIGHUP are not offered everywhere; the others and the journal still protect the limits.
            }
        }

        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Restore first, synchronously, so the limits are back even if the process dies right after. Then keep the
        // process alive (context.Cancel) so the work sees SignalToken, ends cleanly and records the run as cancelled;
        // once the guard is disposed its handlers are gone and the next signal acts as usual.
        ReceivedSignal ??= context.Signal;
        Restore();
        context.Cancel = true;
        try
        {
            signalled.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => Restore();

    private static string F(double w) => w.ToString("0.#", CultureInfo.InvariantCulture);
}
