using RigNotebooks.Errors;
using RigNotebooks.Results;
using RigNotebooks.Rigs;
using RigNotebooks.Simulation;
using RigNotebooks.Simulation.Physics;
using RigNotebooks.TrainingRuns;

namespace RigNotebooks.Experiments;

public static partial class Experiment
{
    /// <summary><c>rig train --rig sim:…</c>: data-parallel scaling of the reference model on a simulated rig, on 1..N
    /// GPUs with P2P on and off (<see cref="SimulatedTrainScaling"/>); every row is simulated and its note says how the
    /// step time splits into compute and exposed communication.</summary>
    /// <param name="gpus">GPU counts; null = 1 to every GPU of the rig.</param>
    /// <param name="p2p">P2P settings; null = on, then off.</param>
    /// <param name="model">A <see cref="TransformerShape"/> preset; null = the reference model (gpt-100m).</param>
    public static ExperimentResult<SimulatedScalingReport> TrainScaling(
        RunStore store,
        IRig rig,
        IReadOnlyList<int>? gpus = null,
        IReadOnlyList<bool>? p2p = null,
        string? model = null,
        int microBatch = 16)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rig);
        if (rig is not SimulatedRig simulated)
        {
            throw new RigInputException(
                $"Simulated scaling needs a simulated rig (sim:<profile>), not '{rig.Id}'. On a real machine, time your own training with `rig train --cmd \"…\" --gpus 1,2,3`, or train the built-in model on CPU replicas with `rig train --rig cpu`.");
        }

        if (microBatch < 1)
        {
            throw new RigInputException($"The micro-batch must be 1 or more, not {microBatch}.");
        }

        store.EnsureWritable();
        var counts = gpus ?? Enumerable.Range(1, rig.Describe().Gpus.Count).ToList();
        var report = SimulatedTrainScaling.Run(store, simulated, model is null ? TransformerShape.Reference : TransformerShape.Get(model), counts, p2p ?? [true, false], microBatch);
        return new ExperimentResult<SimulatedScalingReport>(store.Load(report.RunId), report, report.Findings, []);
    }
}
