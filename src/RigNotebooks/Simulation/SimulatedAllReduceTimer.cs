using RigNotebooks.Bandwidth.Measurement;
using RigNotebooks.Simulation.Physics;

namespace RigNotebooks.Simulation;

/// <summary>All-reduce timed on the simulated rig by the <see cref="InterconnectModel"/>'s ring model; a hanging
/// peer path blocks like the real hang, a corrupting one yields wrong elements.</summary>
internal sealed class SimulatedAllReduceTimer(SimulatedRig rig) : IAllReduceTimer
{
    private readonly InterconnectModel model = new(rig);

    public AllReduceTiming Time(AllReduceRequest request, CancellationToken cancellationToken)
    {
        var estimate = model.AllReduce(request.Gpus, request.SizeBytes, request.PeerToPeer);
        SimulatedCopyTimer.BlockIfHung(estimate.Hangs, cancellationToken);
        var noise = new SimulatedNoise(rig.Options, request.ToString());
        var time = estimate.TimeUs * (1 / noise.NextFactor());
        long? wrong = null;
        if (request.CheckData)
        {
            wrong = estimate.Corrupts
                ? Math.Max(1, (request.SizeBytes - LinkEfficiency.CorruptFromOffsetBytes) / AllReduceRequest.ElementBytes)
                : 0;
        }

        return new AllReduceTiming(time, wrong);
    }
}
