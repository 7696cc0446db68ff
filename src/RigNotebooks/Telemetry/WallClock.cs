using System.Diagnostics;

namespace RigNotebooks.Telemetry;

/// <summary>Real time: monotonic seconds from <see cref="Stopwatch"/>, periodic work on its own background thread.</summary>
public sealed class WallClock : IRigClock
{
    private readonly long start = Stopwatch.GetTimestamp();

    /// <summary>A clock started when the process first asked for it.</summary>
    public static WallClock Shared { get; } = new();

    public double NowS => Stopwatch.GetElapsedTime(start).TotalSeconds;

    public bool IsSimulated => false;

    public Task DelayAsync(double seconds, CancellationToken ct) =>
        seconds <= 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromSeconds(seconds), ct);

    public IDisposable Every(double periodS, Action<double> tick, Action<Exception>? onError = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(periodS);
        return new Ticker(this, periodS, tick, onError);
    }

    /// <summary>Ticks on deadlines k·period from its start, so a slow tick does not make the schedule drift;
    /// deadlines already missed are skipped rather than fired in a burst.</summary>
    private sealed class Ticker : IDisposable
    {
        private readonly ManualResetEventSlim stop = new(false);
        private readonly Thread thread;

        public Ticker(WallClock clock, double periodS, Action<double> tick, Action<Exception>? onError)
        {
            thread = new Thread(() =>
            {
                var first = clock.NowS;
                for (long k = 0; ; k++)
                {
                    var deadline = first + (k * periodS);
                    var wait = deadline - clock.NowS;
                    if (wait > 0 && stop.Wait(TimeSpan.FromSeconds(wait)))
                    {
                        return;
                    }

                    if (stop.IsSet)
                    {
                        return;
                    }

                    try
                    {
                        tick(clock.NowS);
                    }
                    catch (Exception ex)
                    {
                        onError?.Invoke(ex);
                    }

                    var behind = (long)Math.Floor((clock.NowS - first) / periodS);
                    k = Math.Max(k, behind);
                }
            })
            {
                IsBackground = true,
                Name = "rig-clock-ticker",
                Priority = ThreadPriority.AboveNormal,
            };
            thread.Start();
        }

        public void Dispose()
        {
            stop.Set();
            if (Thread.CurrentThread != thread)
            {
                thread.Join();
                stop.Dispose();
            }
        }
    }
}
