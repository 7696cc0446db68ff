using RigNotebooks.Power;
using RigNotebooks.Telemetry;
using RigNotebooks.Workloads;

namespace RigNotebooks.Hardware;

/// <summary>The real measurements a <see cref="LocalRig"/> offers, by the capability interface each serves.
/// Each implementation lives in its own file and is registered here with one line; a factory that cannot work on
/// this machine throws a <see cref="Errors.RigEnvironmentException"/> (no libcuda, no NCCL, not root) and the rig
/// answers the capability as unavailable with that message.</summary>
internal static class LocalCapabilities
{
    public static readonly IReadOnlyDictionary<Type, Func<LocalRig, object>> Factories =
        new Dictionary<Type, Func<LocalRig, object>>
        {
            [typeof(IGpuTelemetry)] = rig => new NvmlTelemetry(rig),
            [typeof(IPowerLimitControl)] = rig => new NvmlPowerControl(rig),
            [typeof(IWorkloadProvider)] = rig => new LocalWorkloads(rig),
            [typeof(Bandwidth.Measurement.ICopyTimer)] = rig => LocalCopyTimer.For(rig),
            [typeof(Bandwidth.Measurement.IAllReduceTimer)] = rig => LocalAllReduceTimer.For(rig),
        };
}
