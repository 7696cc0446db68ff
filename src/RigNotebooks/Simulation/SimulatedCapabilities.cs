using RigNotebooks.Power;
using RigNotebooks.Telemetry;
using RigNotebooks.Workloads;

namespace RigNotebooks.Simulation;

/// <summary>The simulated models a <see cref="SimulatedRig"/> offers, by the capability interface each serves.
/// Each model lives in its own file; register it here with one line.</summary>
internal static class SimulatedCapabilities
{
    public static readonly IReadOnlyDictionary<Type, Func<SimulatedRig, object>> Factories =
        new Dictionary<Type, Func<SimulatedRig, object>>
        {
            [typeof(SimulatedGpuState)] = rig => new SimulatedGpuState(rig),
            [typeof(IRigClock)] = rig => State(rig).Clock,
            [typeof(IGpuTelemetry)] = rig => State(rig).Telemetry,
            [typeof(IPowerLimitControl)] = rig => State(rig).Control,
            [typeof(IWorkloadProvider)] = rig => State(rig).Workloads,
            [typeof(Bandwidth.Measurement.ICopyTimer)] = rig => new SimulatedCopyTimer(rig),
            [typeof(Bandwidth.Measurement.IAllReduceTimer)] = rig => new SimulatedAllReduceTimer(rig),
        };

    /// <summary>The one moving state behind a simulated rig's clock, sensors, power control and workloads.</summary>
    private static SimulatedGpuState State(SimulatedRig rig) => rig.Get<SimulatedGpuState>().Require();
}
