namespace RigNotebooks.Telemetry;

/// <summary>
/// Whether the GPUs' temperatures have settled: fed with a sampler's samples, it fits a least-squares line to each GPU's
/// core and VRAM temperature over the last <see cref="WindowS"/> seconds and reports the largest change that line makes
/// across the window (its drift). A fit over all the window's samples, not two end points, so a reading's noise or its
/// 1 °C steps do not pass for a trend. Thread-safe (a real rig's sampler feeds it from its own thread).
/// </summary>
public sealed class TemperatureSettling
{
    private readonly object gate = new();
    private readonly List<(double TimeS, int Gpu, double? CoreC, double? VramC)> history = [];

    public TemperatureSettling(double windowS)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowS);
        WindowS = windowS;
    }

    public double WindowS { get; }

    /// <summary>Forgets what it saw (the cap changed: a new approach to a new steady state begins).</summary>
    public void Reset()
    {
        lock (gate)
        {
            history.Clear();
        }
    }

    public void Add(IReadOnlyList<GpuSample> samples)
    {
        lock (gate)
        {
            foreach (var s in samples)
            {
                history.Add((s.TimeS, s.Gpu, s.Reading.CoreTempC, s.Reading.VramTempC));
            }

            if (history.Count > 0)
            {
                // Keep a little more than a window: the fit needs the whole of it.
                var keepFrom = history[^1].TimeS - (WindowS * 1.5);
                var old = history.FindIndex(h => h.TimeS >= keepFrom);
                if (old > 0)
                {
                    history.RemoveRange(0, old);
                }
            }
        }
    }

    /// <summary>The largest |drift| in °C per window over every GPU's core and VRAM temperature, fitted to the samples of
    /// the last <see cref="WindowS"/> seconds since the last <see cref="Reset"/> (the caller waits a whole window before
    /// asking); null when fewer than three samples with a temperature were seen (or the GPUs report none).</summary>
    public double? DriftC()
    {
        lock (gate)
        {
            if (history.Count == 0)
            {
                return null;
            }

            var from = history[^1].TimeS - WindowS;
            double? worst = null;
            foreach (var gpu in history.Select(h => h.Gpu).Distinct())
            {
                var mine = history.Where(h => h.Gpu == gpu && h.TimeS >= from - 1e-9).ToList();
                foreach (var drift in new[] { Drift(mine.Select(h => (h.TimeS, h.CoreC))), Drift(mine.Select(h => (h.TimeS, h.VramC))) })
                {
                    if (drift is { } d)
                    {
                        worst = Math.Max(worst ?? 0, Math.Abs(d));
                    }
                }
            }

            return worst;
        }
    }

    private double? Drift(IEnumerable<(double TimeS, double? C)> points)
    {
        var xs = points.Where(p => p.C is { } c && double.IsFinite(c)).Select(p => (X: p.TimeS, Y: p.C!.Value)).ToList();
        if (xs.Count < 3)
        {
            return null;
        }

        var meanX = xs.Average(p => p.X);
        var meanY = xs.Average(p => p.Y);
        var sxx = xs.Sum(p => (p.X - meanX) * (p.X - meanX));
        if (sxx <= 0)
        {
            return null;
        }

        var slope = xs.Sum(p => (p.X - meanX) * (p.Y - meanY)) / sxx;
        return slope * WindowS;
    }
}
