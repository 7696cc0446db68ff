namespace RigNotebooks.Telemetry;

/// <summary>A named stretch of time (a sweep's measured window at one cap, a training epoch) that collects its samples.
/// Opened and closed through <see cref="TelemetrySampler.BeginWindow"/> and <see cref="TelemetrySampler.EndWindow"/>.</summary>
public sealed class TelemetryWindow
{
    private readonly List<GpuSample>[] samples;

    internal TelemetryWindow(string name, double startS, int gpuCount)
    {
        Name = name;
        StartS = startS;
        samples = Enumerable.Range(0, gpuCount).Select(_ => new List<GpuSample>()).ToArray();
    }

    public string Name { get; }

    /// <summary>The window's start in sampler time (<c>t_s</c>).</summary>
    public double StartS { get; }

    internal void Add(IReadOnlyList<GpuSample> taken)
    {
        foreach (var s in taken)
        {
            var list = samples[s.Gpu];
            if (list.Count == 0 || list[^1].TimeS < s.TimeS)
            {
                list.Add(s); // an instant counts once, however many times the sampler was asked for it
            }
        }
    }

    internal TelemetryWindowReport Close(double endS) =>
        new(Name, StartS, endS, samples.Select((list, gpu) => TelemetryStatistics.Of(gpu, list, StartS, endS)).ToList());
}
