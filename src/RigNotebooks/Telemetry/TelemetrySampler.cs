using System.Collections.Immutable;
using RigNotebooks.Model;
using RigNotebooks.Results;

namespace RigNotebooks.Telemetry;

/// <summary>How a sampler runs: its rate, the run experiment name its rows carry, and whether it writes rows at all.</summary>
/// <param name="RateHz">Samples per second of the rig's clock (default 10 Hz).</param>
/// <param name="Experiment">The <c>experiment</c> column of its rows: <c>monitor</c>, or the experiment it runs inside.</param>
/// <param name="FlushIntervalS">Rows go to the sink at least this often (wall time), and at every window boundary and stop.
/// At 10 Hz on a real rig that is every tick; a simulated clock ticking faster than the wall batches its rows.</param>
public sealed record SamplerOptions(double RateHz = 10, string Experiment = "monitor", double FlushIntervalS = 0.1)
{
    public static SamplerOptions Default { get; } = new();
}

/// <summary>
/// Samples every GPU of a rig at a fixed rate in the background (its own thread on a real rig; the simulated clock's
/// schedule on a simulated one), hands each sample's rows to a sink as they come (a run writer flushes them to disk),
/// keeps the latest sample per GPU for live views, and feeds open <see cref="TelemetryWindow"/>s (energy, temperatures).
/// Start and stop it around any experiment. Thread-safe.
/// </summary>
public sealed class TelemetrySampler : IDisposable
{
    private readonly object gate = new();
    private readonly IGpuTelemetry telemetry;
    private readonly Action<IReadOnlyList<ResultRow>>? sink;
    private readonly List<TelemetryWindow> windows = [];
    private readonly List<ResultRow> buffer = [];
    private readonly bool[] waivedWritten;
    private readonly GpuSample?[] latest;
    private readonly List<string> errors = [];
    private readonly System.Diagnostics.Stopwatch sinceFlush = System.Diagnostics.Stopwatch.StartNew();
    private ImmutableDictionary<string, string> parameters = ImmutableDictionary.Create<string, string>(StringComparer.Ordinal);
    private IDisposable? ticker;
    private double startS;
    private DateTimeOffset startUtc;
    private long samples;
    private IReadOnlyList<GpuSample>? lastTaken;
    private double lastTakenS = double.NaN;
    private double lastRowS = double.NegativeInfinity;
    private double rowIntervalS;

    public TelemetrySampler(IGpuTelemetry telemetry, IRigClock clock, DataSource source, SamplerOptions? options = null, Action<IReadOnlyList<ResultRow>>? sink = null)
    {
        this.telemetry = telemetry;
        this.sink = sink;
        Clock = clock;
        Source = source;
        Options = options ?? SamplerOptions.Default;
        if (!(Options.RateHz > 0 && Options.RateHz <= 1000))
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.RateHz, "The sampling rate must be above 0 and at most 1000 Hz.");
        }

        waivedWritten = new bool[telemetry.GpuCount];
        latest = new GpuSample?[telemetry.GpuCount];
        startS = clock.NowS;
        startUtc = DateTimeOffset.UtcNow;
    }

    /// <summary>A sampler that writes its rows into a run (experiment name = the run's experiment).</summary>
    public static TelemetrySampler ForRun(RunWriter run, IGpuTelemetry telemetry, IRigClock clock, double rateHz = 10) =>
        new(telemetry, clock, run.Source, new SamplerOptions(rateHz, run.Record.Experiment), run.Write);

    public IRigClock Clock { get; }

    public DataSource Source { get; }

    public SamplerOptions Options { get; }

    public int GpuCount => telemetry.GpuCount;

    public bool IsRunning
    {
        get
        {
            lock (gate)
            {
                return ticker is not null;
            }
        }
    }

    /// <summary>Seconds since the sampler started (the <c>t_s</c> of its rows).</summary>
    public double ElapsedS => Clock.NowS - startS;

    /// <summary>Samples taken (one per GPU per tick).</summary>
    public long SampleCount => Interlocked.Read(ref samples);

    /// <summary>Failures to read a GPU (the schedule goes on; these end up in the run's notes).</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (gate)
            {
                return errors.ToList();
            }
        }
    }

    /// <summary>Params added to every row from now on (e.g. <c>cap_w</c> and <c>phase</c> during a sweep).</summary>
    public IReadOnlyDictionary<string, string> Parameters
    {
        get => parameters;
        set => parameters = value.ToImmutableDictionary(StringComparer.Ordinal);
    }

    /// <summary>Write rows for at most one sample per this many seconds of the rig's clock (0, the default: every
    /// sample). Every sample still feeds the windows and <see cref="Sampled"/>: a sweep's warm-up keeps its settling
    /// check at the full rate while its rows, which only draw the timeline, come at 1 Hz.</summary>
    public double RowIntervalS
    {
        get => rowIntervalS;
        set => rowIntervalS = value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "A row interval is a finite number of seconds, 0 or more.");
    }

    /// <summary>The latest sample of each GPU (null until the first tick).</summary>
    public IReadOnlyList<GpuSample?> Latest
    {
        get
        {
            lock (gate)
            {
                return latest.ToArray();
            }
        }
    }

    /// <summary>Raised after each tick with that tick's samples (on the sampler's thread; keep it short).</summary>
    public event Action<IReadOnlyList<GpuSample>>? Sampled;

    public void Start()
    {
        lock (gate)
        {
            if (ticker is not null)
            {
                return;
            }

            startS = Clock.NowS;
            startUtc = DateTimeOffset.UtcNow;
            lastTaken = null;
            lastTakenS = double.NaN;
            lastRowS = double.NegativeInfinity;
            ticker = Clock.Every(1.0 / Options.RateHz, _ => SampleNow(), ex => Record($"sampler: {ex.Message}"));
        }
    }

    /// <summary>Stops the schedule after one last sample, so the rows end at the moment of stopping.</summary>
    public void Stop()
    {
        IDisposable? running;
        lock (gate)
        {
            running = ticker;
            ticker = null;
        }

        if (running is not null)
        {
            running.Dispose();
            Sample(flush: true);
        }
        else
        {
            Flush();
        }
    }

    /// <summary>Hands the rows not yet written to the sink now.</summary>
    public void Flush()
    {
        lock (gate)
        {
            if (sink is not null && buffer.Count > 0)
            {
                sinceFlush.Restart();
                try
                {
                    sink(buffer.ToArray());
                }
                finally
                {
                    buffer.Clear();
                }
            }
        }
    }

    /// <summary>Takes one sample of every GPU now, writes its rows and feeds the open windows. An instant is sampled once:
    /// asked again at the same clock time (a simulated clock stands still between waits, so a window's start or end, the
    /// schedule's tick and the stop can fall on one instant), it hands back that instant's samples without new rows.</summary>
    public IReadOnlyList<GpuSample> SampleNow() => Sample(flush: false);

    private IReadOnlyList<GpuSample> Sample(bool flush)
    {
        lock (gate)
        {
            var t = Clock.NowS - startS;
            if (lastTaken is not null && t == lastTakenS)
            {
                foreach (var window in windows)
                {
                    window.Add(lastTaken); // a window opened at this instant still needs its first samples
                }

                if (flush)
                {
                    Flush();
                }

                return lastTaken;
            }

            var timeUtc = startUtc.AddSeconds(t);
            var writeRows = sink is not null && (rowIntervalS <= 0 || t - lastRowS >= rowIntervalS - 1e-9);
            if (writeRows)
            {
                lastRowS = t;
            }

            var taken = new List<GpuSample>(telemetry.GpuCount);
            for (var gpu = 0; gpu < telemetry.GpuCount; gpu++)
            {
                GpuReading reading;
                try
                {
                    reading = telemetry.Read(gpu);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Record($"GPU {gpu} at t={TelemetryRows.FormatSeconds(t)} s: {ex.Message}");
                    continue;
                }

                var sample = new GpuSample(t, gpu, reading);
                taken.Add(sample);
                latest[gpu] = sample;
                if (writeRows)
                {
                    if (!waivedWritten[gpu])
                    {
                        waivedWritten[gpu] = true;
                        buffer.AddRange(TelemetryRows.Unsupported(Options.Experiment, sample, Source));
                    }

                    TelemetryRows.Append(buffer, Options.Experiment, timeUtc, sample, Source, parameters);
                }
            }

            samples += taken.Count;
            lastTaken = taken;
            lastTakenS = t;
            foreach (var window in windows)
            {
                window.Add(taken);
            }

            if (flush || sinceFlush.Elapsed.TotalSeconds >= Options.FlushIntervalS - 0.005)
            {
                Flush();
            }

            Sampled?.Invoke(taken);
            return taken;
        }
    }

    /// <summary>Opens a named window: a sample now marks its start; every sample until <see cref="EndWindow"/> feeds it.</summary>
    public TelemetryWindow BeginWindow(string name)
    {
        lock (gate)
        {
            var window = new TelemetryWindow(name, Clock.NowS - startS, telemetry.GpuCount);
            windows.Add(window);
            Sample(flush: true);
            return window;
        }
    }

    /// <summary>Closes a window with a sample now and reports elapsed time, energy and temperatures per GPU.</summary>
    public TelemetryWindowReport EndWindow(TelemetryWindow window)
    {
        lock (gate)
        {
            Sample(flush: true);
            windows.Remove(window);
            return window.Close(Clock.NowS - startS);
        }
    }

    public void Dispose() => Stop();

    private void Record(string error)
    {
        lock (gate)
        {
            if (errors.Count < 100)
            {
                errors.Add(error);
            }
        }
    }
}
