namespace RigNotebooks.Workloads;

/// <summary>How a throughput figure was obtained.</summary>
public enum ThroughputMethod
{
    /// <summary>Units counted as they completed, divided by the window's length.</summary>
    Counted,

    /// <summary>The mean of the rates the workload itself reported during the window (parsed from its output).</summary>
    ReportedRate,
}

/// <summary>Work over one window: units per second for the rig and, where the workload counts per GPU, for each GPU.</summary>
public sealed record WorkThroughput(double UnitsPerS, IReadOnlyDictionary<int, double> PerGpuUnitsPerS, ThroughputMethod Method, double Units);

/// <summary>
/// Records the work a workload did against the rig clock: completed units (per GPU where known) or reported rates.
/// Cumulative counts are interpolated linearly between completions, so a window's count does not depend on where a
/// batch happened to finish. Thread-safe.
/// </summary>
public sealed class WorkMeter
{
    private readonly object gate = new();
    private readonly Series total = new();
    private readonly Dictionary<int, Series> perGpu = [];
    private readonly List<(double T, double Rate)> rates = [];

    /// <summary>When the workload last showed a sign of life (a completion or a reported rate), by the rig clock.</summary>
    public double? LastActivityS { get; private set; }

    /// <summary>Units completed so far.</summary>
    public double TotalUnits
    {
        get
        {
            lock (gate)
            {
                return total.Last;
            }
        }
    }

    /// <summary>Marks the start of counting (zero units at <paramref name="tS"/>) for the given GPUs.</summary>
    public void Begin(double tS, IEnumerable<int>? gpus = null)
    {
        lock (gate)
        {
            total.Add(tS, 0);
            foreach (var g in gpus ?? [])
            {
                perGpu.TryAdd(g, new Series());
                perGpu[g].Add(tS, 0);
            }
        }
    }

    /// <summary><paramref name="units"/> more units completed at <paramref name="tS"/> (on <paramref name="gpu"/> when known).</summary>
    public void Add(double tS, double units, int? gpu = null)
    {
        lock (gate)
        {
            total.Add(tS, units);
            if (gpu is { } g)
            {
                if (!perGpu.TryGetValue(g, out var series))
                {
                    perGpu[g] = series = new Series();
                }

                series.Add(tS, units);
            }

            LastActivityS = tS;
        }
    }

    /// <summary>The workload said it runs at <paramref name="unitsPerS"/> at <paramref name="tS"/>.</summary>
    public void ReportRate(double tS, double unitsPerS)
    {
        lock (gate)
        {
            rates.Add((tS, unitsPerS));
            LastActivityS = tS;
        }
    }

    /// <summary>Throughput over [t0, t1] of the rig clock: counted units when there are any, else the mean reported rate; null when neither.</summary>
    public WorkThroughput? Throughput(double t0S, double t1S)
    {
        if (!(t1S > t0S))
        {
            return null;
        }

        lock (gate)
        {
            var span = t1S - t0S;
            if (total.Count >= 2 && total.At(t1S) - total.At(t0S) > 0)
            {
                var units = total.At(t1S) - total.At(t0S);
                var gpus = perGpu.Where(p => p.Value.Count >= 2)
                    .ToDictionary(p => p.Key, p => (p.Value.At(t1S) - p.Value.At(t0S)) / span);
                return new WorkThroughput(units / span, gpus, ThroughputMethod.Counted, units);
            }

            var inWindow = rates.Where(r => r.T >= t0S && r.T <= t1S).Select(r => r.Rate).ToList();
            return inWindow.Count == 0
                ? null
                : new WorkThroughput(inWindow.Average(), new Dictionary<int, double>(), ThroughputMethod.ReportedRate, inWindow.Average() * span);
        }
    }

    /// <summary>A cumulative count over time, interpolated linearly between points.</summary>
    private sealed class Series
    {
        private readonly List<double> times = [];
        private readonly List<double> cumulative = [];

        public int Count => times.Count;

        public double Last => cumulative.Count == 0 ? 0 : cumulative[^1];

        public void Add(double t, double units)
        {
            if (times.Count > 0 && t < times[^1])
            {
                t = times[^1]; // completions reported out of order count at the latest time seen
            }

            if (times.Count > 0 && t == times[^1])
            {
                cumulative[^1] += units;
                return;
            }

            times.Add(t);
            cumulative.Add(Last + units);
        }

        public double At(double t)
        {
            if (times.Count == 0 || t <= times[0])
            {
                return times.Count == 0 ? 0 : cumulative[0];
            }

            if (t >= times[^1])
            {
                return cumulative[^1];
            }

            var i = times.BinarySearch(t);
            if (i >= 0)
            {
                return cumulative[i];
            }

            i = ~i; // times[i-1] < t < times[i]
            var f = (t - times[i - 1]) / (times[i] - times[i - 1]);
            return cumulative[i - 1] + (f * (cumulative[i] - cumulative[i - 1]));
        }
    }
}
