using System.Globalization;
using System.Text.Json.Nodes;
using RigNotebooks.Doctor;
using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Simulation;
using RigNotebooks.Simulation.Physics;

namespace RigNotebooks.TrainingRuns;

/// <summary>
/// Data-parallel scaling of the reference model on a simulated rig: for each GPU count and P2P setting, the step time
/// is the compute time of the model's real FLOPs on the rig's GPUs (DVFS under their caps) plus the exposed part of a
/// bucketed ring all-reduce of its real gradient bytes (<see cref="DataParallelModel"/>). Every row is
/// <c>source=simulated</c>, and the note of each says how its step time splits, so the reason P2P off is slower is
/// in the rows themselves.
/// </summary>
public static class SimulatedTrainScaling
{
    public const string Experiment = "train-scaling";
    public const string Case = "ddp";

    /// <param name="microBatch">Sequences per GPU per step (weak scaling: the global batch grows with the GPUs, as DDP runs do).</param>
    public static SimulatedScalingReport Run(RunStore store, SimulatedRig rig, TransformerShape model, IReadOnlyList<int> gpuCounts, IReadOnlyList<bool> p2pSettings, int microBatch = 16)
    {
        var description = rig.Describe();
        var spec = new JsonObject
        {
            ["rig"] = rig.Id,
            ["model"] = model.Name,
            ["parameters"] = model.ParameterCount,
            ["flopsPerToken"] = model.TrainingFlopsPerToken,
            ["gradientBytes"] = model.GradientBytes,
            ["microBatch"] = microBatch,
            ["gpus"] = new JsonArray(gpuCounts.Select(g => (JsonNode)JsonValue.Create(g)!).ToArray()),
            ["p2p"] = new JsonArray(p2pSettings.Select(p => (JsonNode)JsonValue.Create(p ? "on" : "off")!).ToArray()),
        };
        using var run = store.Create(Experiment, spec, description);
        var dp = new DataParallelModel(rig);
        var tokensPerGpu = (double)microBatch * model.SequenceLength;
        var points = new List<SimulatedScalingPoint>();
        var findings = new List<Finding>();
        foreach (var p2p in p2pSettings)
        {
            var one = dp.Step(model, 1, p2p, tokensPerGpu);
            foreach (var gpus in gpuCounts)
            {
                var step = dp.Step(model, gpus, p2p, tokensPerGpu);
                var parameters = new Dictionary<string, string>
                {
                    ["gpus"] = gpus.ToString(CultureInfo.InvariantCulture),
                    ["p2p"] = p2p ? "on" : "off",
                };
                if (step.Hangs)
                {
                    run.Write(ResultRow.NotMeasured(RowStatus.Hung, Experiment, Case, null, null, "tokens_per_s", "tokens/s", DataSource.Simulated,
                        $"the first all-reduce never completes on this rig: {step.Explanation}", parameters));
                    points.Add(new SimulatedScalingPoint(gpus, p2p, null, null, step));
                    findings.Add(new Finding(
                        "train-scaling-hang",
                        Severity.Error,
                        $"Data-parallel training hangs on {gpus} GPUs with P2P {(p2p ? "on" : "off")} (simulated)",
                        step.Explanation,
                        "This is the reference rig's driver-545 failure: change the driver (545 → 535), or run with NCCL_P2P_DISABLE=1 as a slow stop-gap; see `rig doctor`."));
                    continue;
                }

                var efficiency = 100.0 * step.TokensPerSecond / (gpus * one.TokensPerSecond);
                var energy = EnergyPerToken(rig, description, gpus, step);
                var note = step.Explanation;
                void Row(string metric, double value, string unit) =>
                    run.Write(ResultRow.Ok(Experiment, Case, null, null, metric, value, unit, DataSource.Simulated, parameters) with { Note = note });
                Row("tokens_per_s", step.TokensPerSecond, "tokens/s");
                Row("step_time", step.StepTimeS, "s");
                Row("compute_time", step.ComputeTimeS, "s");
                Row("comm_exposed_time", step.ExposedCommunicationTimeS, "s");
                Row("efficiency", efficiency, "%");
                Row("energy_per_token", energy, "J");
                points.Add(new SimulatedScalingPoint(gpus, p2p, efficiency, energy, step));
            }
        }

        var summary = new Dictionary<string, string>();
        foreach (var p in points.Where(p => p.Efficiency is not null && p.Gpus == gpuCounts.Max()))
        {
            summary[$"efficiency_{p.Gpus}gpu_p2p_{(p.P2P ? "on" : "off")}"] = p.Efficiency!.Value.ToString("0.0", CultureInfo.InvariantCulture);
        }

        run.Complete(summary, findings);
        return new SimulatedScalingReport(run.Id, model, points, findings);
    }

    /// <summary>Energy per token: every GPU draws its DVFS power under its cap while computing and its static power
    /// (memory, VRM, fans — <see cref="DvfsModel.StaticPowerW"/>) while it waits for exposed communication.</summary>
    private static double EnergyPerToken(SimulatedRig rig, RigDescription description, int gpus, DataParallelStep step)
    {
        var joules = 0.0;
        for (var g = 0; g < gpus; g++)
        {
            var dvfs = new DvfsModel(rig.ModelOf(g));
            var point = dvfs.At(description.Gpus[g].PowerLimits.CurrentW, DataParallelModel.MemoryBoundFraction);
            joules += (point.PowerW * step.ComputeTimeS) + (dvfs.StaticPowerW * step.ExposedCommunicationTimeS);
        }

        return joules / step.TokensPerStep;
    }
}

public sealed record SimulatedScalingPoint(int Gpus, bool P2P, double? Efficiency, double? EnergyPerTokenJ, DataParallelStep Step);

public sealed record SimulatedScalingReport(string RunId, TransformerShape Model, IReadOnlyList<SimulatedScalingPoint> Points, IReadOnlyList<Finding> Findings);
