namespace RigNotebooks.Telemetry;

/// <summary>A rig capability: one reading per GPU, on demand. Must be safe to call from the sampler's thread
/// while an experiment runs; each call should cost well under a millisecond.</summary>
public interface IGpuTelemetry
{
    int GpuCount { get; }

    /// <summary>The current reading of one GPU (by rig index).</summary>
    GpuReading Read(int gpu);
}
