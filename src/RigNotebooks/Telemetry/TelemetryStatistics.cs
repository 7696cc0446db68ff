namespace RigNotebooks.Telemetry;

/// <summary>Window statistics from a GPU's samples: energy (counter, else trapezoid integration of power), averages,
/// peaks, steady values (last third), throttling.</summary>
public static class TelemetryStatistics
{
    /// <summary>The share of the window, at its end, whose mean is reported as the steady value.</summary>
    public const double SteadyTail = 1.0 / 3.0;

    public static GpuWindowStatistics Of(int gpu, IReadOnlyList<GpuSample> samples, double startS, double endS)
    {
        var elapsed = endS - startS;
        var (energy, method) = Energy(samples);
        double? averagePower = energy is { } e && elapsed > 0 ? e / elapsed : Mean(samples, r => r.PowerW);
        var tailStart = endS - (elapsed * SteadyTail);
        var tail = samples.Where(s => s.TimeS >= tailStart).ToList();
        var masks = samples.Where(s => s.Reading.ClockEventReasons is not null).Select(s => s.Reading.ClockEventReasons!.Value).ToList();
        var fractions = new Dictionary<string, double>(StringComparer.Ordinal);
        ulong seen = 0;
        foreach (var m in masks)
        {
            seen |= m;
        }

        if (masks.Count > 0)
        {
            foreach (var (bit, name) in ClockEventReasonsText.All)
            {
                var count = masks.Count(m => (m & (ulong)bit) != 0);
                if (count > 0)
                {
                    fractions[name] = (double)count / masks.Count;
                }
            }
        }

        return new GpuWindowStatistics(
            gpu,
            samples.Count,
            energy,
            method,
            averagePower,
            Max(samples, r => r.PowerInstantW ?? r.PowerW),
            Max(samples, r => r.CoreTempC),
            Mean(tail, r => r.CoreTempC),
            Max(samples, r => r.VramTempC),
            Mean(tail, r => r.VramTempC),
            Mean(samples, r => r.SmClockMHz),
            Mean(samples, r => r.MemClockMHz),
            masks.Count == 0 ? null : (double)masks.Count(ClockEventReasonsText.IsThrottled) / masks.Count,
            seen,
            fractions);
    }

    /// <summary>Energy over the samples: the counter's difference when the first and last sample both have it and it did
    /// not go backwards (a driver reload resets it); otherwise power integrated by trapezoids.</summary>
    public static (double? EnergyJ, EnergyMethod Method) Energy(IReadOnlyList<GpuSample> samples)
    {
        if (samples.Count >= 2 && samples[0].Reading.EnergyJ is { } first && samples[^1].Reading.EnergyJ is { } last && last >= first)
        {
            return (last - first, EnergyMethod.Counter);
        }

        var points = samples.Where(s => s.Reading.PowerForIntegrationW is not null).ToList();
        if (points.Count < 2)
        {
            return (null, EnergyMethod.None);
        }

        var joules = 0.0;
        for (var i = 1; i < points.Count; i++)
        {
            var dt = points[i].TimeS - points[i - 1].TimeS;
            joules += dt * (points[i].Reading.PowerForIntegrationW!.Value + points[i - 1].Reading.PowerForIntegrationW!.Value) / 2;
        }

        return (joules, EnergyMethod.IntegratedPower);
    }

    private static double? Mean(IEnumerable<GpuSample> samples, Func<GpuReading, double?> read)
    {
        var values = samples.Select(s => read(s.Reading)).Where(v => v is not null).Select(v => v!.Value).ToList();
        return values.Count == 0 ? null : values.Average();
    }

    private static double? Max(IEnumerable<GpuSample> samples, Func<GpuReading, double?> read)
    {
        var values = samples.Select(s => read(s.Reading)).Where(v => v is not null).Select(v => v!.Value).ToList();
        return values.Count == 0 ? null : values.Max();
    }
}
