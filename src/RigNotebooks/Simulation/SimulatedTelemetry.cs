using RigNotebooks.Telemetry;

namespace RigNotebooks.Simulation;

/// <summary>The simulated rig's sensors: readings of <see cref="SimulatedGpuState"/> at the simulated clock's time.</summary>
internal sealed class SimulatedTelemetry(SimulatedGpuState state) : IGpuTelemetry
{
    public int GpuCount => state.GpuCount;

    public GpuReading Read(int gpu) => state.Read(gpu);
}
