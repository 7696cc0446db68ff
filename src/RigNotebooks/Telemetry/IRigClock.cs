namespace RigNotebooks.Telemetry;

/// <summary>The time an experiment runs in. A real rig runs on the wall clock; a simulated rig offers a clock whose
/// time advances only when someone waits on it, so a simulated sweep of many minutes takes seconds of wall time.
/// Offered as a rig capability; a rig without one runs on <see cref="WallClock"/>.</summary>
public interface IRigClock
{
    /// <summary>Monotonic seconds since this clock started.</summary>
    double NowS { get; }

    /// <summary>True when the time is simulated (it may run faster than the wall clock).</summary>
    bool IsSimulated { get; }

    /// <summary>Waits <paramref name="seconds"/> of this clock's time.</summary>
    Task DelayAsync(double seconds, CancellationToken ct);

    /// <summary>Calls <paramref name="tick"/> with the clock time every <paramref name="periodS"/> seconds until disposed.
    /// Ticks never overlap; a tick that throws is reported through <paramref name="onError"/> and the schedule goes on.</summary>
    IDisposable Every(double periodS, Action<double> tick, Action<Exception>? onError = null);
}
