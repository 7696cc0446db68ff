using BenchmarkDotNet.Attributes;
using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Simulation;
using RigNotebooks.Telemetry;

namespace RigNotebooks.Benchmarks;

/// <summary>
/// The sampler's cost per tick on an 8-GPU rig: reading every GPU (a constant reading, so only our side is measured),
/// turning the samples into rows, and formatting them as rows.csv lines (written to nowhere: disk flushes wait on I/O,
/// they do not cost CPU). Per sample per GPU = the tick's time / 8; the 1 %-of-a-core budget at 10 Hz × 8 GPUs is
/// a tick under 1 ms. The sampler samples an instant once (a repeat at the same clock time returns that instant's
/// samples), so the samplers run on a clock that moves 0.1 s at every read: each tick is a new instant.
/// </summary>
[MemoryDiagnoser]
public class SamplerBenchmarks : IDisposable
{
    private const int Gpus = 8;
    private TelemetrySampler withRows = null!;
    private TelemetrySampler withoutRows = null!;
    private TelemetrySampler fromSimulation = null!;
    private readonly TickingClock clock = new();

    [GlobalSetup]
    public void Setup()
    {
        var reading = new GpuReading(285.3, 290.1, 123456.7, 70, 104, 1635, 9751, 100, 12, 55, 0x4, 0.012, 0.004);
        withRows = new TelemetrySampler(new ConstantTelemetry(Gpus, reading), clock, DataSource.Measured,
            new SamplerOptions(FlushIntervalS: 0), rows =>
            {
                foreach (var row in rows)
                {
                    TextWriter.Null.Write(RowsCsv.Format(row));
                }
            });
        withoutRows = new TelemetrySampler(new ConstantTelemetry(Gpus, reading), clock, DataSource.Measured);
        var rig = (SimulatedRig)Rigs.RigSelector.Open("sim:blog-4x3090");
        fromSimulation = new TelemetrySampler(rig.Get<IGpuTelemetry>().Require(), clock, DataSource.Simulated);
    }

    [Benchmark(Description = "tick, 8 GPUs, rows formatted as CSV")]
    public int TickWithRows() => withRows.SampleNow().Count;

    [Benchmark(Description = "tick, 8 GPUs, no rows (windows only)")]
    public int TickWithoutRows() => withoutRows.SampleNow().Count;

    [Benchmark(Description = "tick, 4 simulated GPUs, no rows")]
    public int TickSimulated() => fromSimulation.SampleNow().Count;

    [GlobalCleanup]
    public void Dispose()
    {
        withRows.Dispose();
        withoutRows.Dispose();
        fromSimulation.Dispose();
        GC.SuppressFinalize(this);
    }

    private sealed class ConstantTelemetry(int gpus, GpuReading reading) : IGpuTelemetry
    {
        public int GpuCount => gpus;

        public GpuReading Read(int gpu) => reading;
    }

    private sealed class TickingClock : IRigClock
    {
        private double nowS;

        public double NowS => nowS += 0.1;

        public bool IsSimulated => true;

        public Task DelayAsync(double seconds, CancellationToken ct) => Task.CompletedTask;

        public IDisposable Every(double periodS, Action<double> tick, Action<Exception>? onError = null) =>
            throw new NotSupportedException("The benchmark ticks by hand (SampleNow).");
    }
}
