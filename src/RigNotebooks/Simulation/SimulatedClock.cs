using System.Diagnostics;
using RigNotebooks.Telemetry;

namespace RigNotebooks.Simulation;

/// <summary>
/// The simulated rig's time. It advances only when someone waits on it (<see cref="DelayAsync"/>): the simulated state
/// is stepped to each scheduled tick in order, the tick fires, and so on to the end of the wait — a discrete-event clock,
/// deterministic and as fast as the model computes. <see cref="TimeScale"/> paces it against the wall clock for people
/// watching a live view (1 = real time; 0 = unpaced). One waiter drives it at a time.
/// </summary>
public sealed class SimulatedClock : IRigClock, IDisposable
{
    private readonly object gate = new();
    private readonly SemaphoreSlim driver = new(1, 1);
    private readonly List<Ticker> tickers = [];
    private readonly Action<double> advanceTo;
    private readonly Stopwatch wall = Stopwatch.StartNew();
    private double now;
    private double pacedFromS;
    private double pacedFromWallS;
    private double timeScale;

    /// <param name="advanceTo">Steps the simulated state to a time; called before every tick and at the end of every wait.</param>
    public SimulatedClock(Action<double> advanceTo)
    {
        this.advanceTo = advanceTo;
    }

    public double NowS
    {
        get
        {
            lock (gate)
            {
                return now;
            }
        }
    }

    public bool IsSimulated => true;

    /// <summary>Simulated seconds per wall second; 0 (the default) runs as fast as the model computes.</summary>
    public double TimeScale
    {
        get
        {
            lock (gate)
            {
                return timeScale;
            }
        }

        set
        {
            if (!(value >= 0) || double.IsInfinity(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The time scale must be 0 (unpaced) or a positive number.");
            }

            lock (gate)
            {
                timeScale = value;
                pacedFromS = now;
                pacedFromWallS = wall.Elapsed.TotalSeconds;
            }
        }
    }

    public async Task DelayAsync(double seconds, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        await driver.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var target = NowS + Math.Max(0, seconds);
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                Ticker? next;
                double t;
                lock (gate)
                {
                    next = tickers.Where(k => k.DueS <= target).MinBy(k => k.DueS);
                    t = next?.DueS ?? target;
                }

                await PaceAsync(t, ct).ConfigureAwait(false);
                advanceTo(t);
                lock (gate)
                {
                    now = Math.Max(now, t);
                }

                if (next is null)
                {
                    return;
                }

                next.Fire(t);
            }
        }
        finally
        {
            driver.Release();
        }
    }

    public IDisposable Every(double periodS, Action<double> tick, Action<Exception>? onError = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(periodS);
        lock (gate)
        {
            var ticker = new Ticker(this, now, periodS, tick, onError);
            tickers.Add(ticker);
            return ticker;
        }
    }

    public void Dispose() => driver.Dispose();

    private async Task PaceAsync(double t, CancellationToken ct)
    {
        double scale, fromS, fromWall;
        lock (gate)
        {
            (scale, fromS, fromWall) = (timeScale, pacedFromS, pacedFromWallS);
        }

        if (scale <= 0)
        {
            return;
        }

        var dueWall = fromWall + ((t - fromS) / scale);
        var wait = dueWall - wall.Elapsed.TotalSeconds;
        if (wait > 0.001)
        {
            await Task.Delay(TimeSpan.FromSeconds(wait), ct).ConfigureAwait(false);
        }
    }

    private sealed class Ticker(SimulatedClock clock, double startS, double periodS, Action<double> tick, Action<Exception>? onError) : IDisposable
    {
        private long count;

        public double DueS => startS + (count * periodS);

        public void Fire(double t)
        {
            count++;
            try
            {
                tick(t);
            }
            catch (Exception ex)
            {
                onError?.Invoke(ex);
            }
        }

        public void Dispose()
        {
            lock (clock.gate)
            {
                clock.tickers.Remove(this);
            }
        }
    }
}
