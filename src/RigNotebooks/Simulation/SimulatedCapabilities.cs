namespace RigNotebooks.Simulation;

/// <summary>The simulated models a <see cref="SimulatedRig"/> offers, by the capability interface each serves.
/// Each model lives in its own file; register it here with one line.</summary>
internal static class SimulatedCapabilities
{
    public static readonly IReadOnlyDictionary<Type, Func<SimulatedRig, object>> Factories =
        new Dictionary<Type, Func<SimulatedRig, object>>
        {
            [typeof(Bandwidth.Measurement.ICopyTimer)] = rig => new SimulatedCopyTimer(rig),
            [typeof(Bandwidth.Measurement.IAllReduceTimer)] = rig => new SimulatedAllReduceTimer(rig),
        };
}
