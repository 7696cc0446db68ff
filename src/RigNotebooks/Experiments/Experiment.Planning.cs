using System.Text.Json.Nodes;
using RigNotebooks.Errors;
using RigNotebooks.Planning;
using RigNotebooks.Planning.Cost;
using RigNotebooks.Results;

namespace RigNotebooks.Experiments;

/// <summary>A <c>plan</c> run's content: each rig's figures and the verdict of each rig against the first.</summary>
public sealed record PlanOutcome(IReadOnlyList<RigPlan> Rigs, IReadOnlyList<PlanVerdict> Verdicts);

public static partial class Experiment
{
    /// <summary><c>rig plan --compare …</c>: rigs that might exist (profiles, or a profile with <paramref name="edits"/>,
    /// e.g. <c>gpus=4</c>, <c>cap=285</c>) put through the simulated models, the first as the baseline. With edits, the
    /// edited copy of every rig follows the unedited baseline.</summary>
    public static ExperimentResult<PlanOutcome> Plan(RunStore store, IReadOnlyList<string> rigs, IReadOnlyList<string>? edits = null, PlanOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rigs);
        if (rigs.Count == 0)
        {
            throw new RigInputException("Name at least one rig to plan (sim:<profile> or sim:<path.json>).");
        }

        edits ??= [];
        options ??= PlanOptions.Default;
        var candidates = new List<PlanCandidate>();
        try
        {
            candidates.Add(PlanCandidate.Open(rigs[0], []));
            foreach (var spec in edits.Count > 0 ? rigs : rigs.Skip(1))
            {
                candidates.Add(PlanCandidate.Open(spec, edits));
            }

            var plans = candidates.Select(c => RigPlanner.Default.Plan(c, options)).ToList();
            var verdicts = PlanComparison.Compare(plans);
            store.EnsureWritable();
            var specJson = new JsonObject
            {
                ["compare"] = new JsonArray(rigs.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
                ["set"] = new JsonArray(edits.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
                ["model"] = options.UserModel?.Name,
                ["microBatch"] = options.MicroBatchSequences,
            };
            string folder;
            using (var run = store.Create(PlanRows.Experiment, specJson, candidates[0].Rig.Describe()))
            {
                folder = run.Folder;
                foreach (var plan in plans)
                {
                    run.Write(PlanRows.Of(plan));
                }

                var summary = new Dictionary<string, string>
                {
                    ["rigs"] = string.Join(" | ", plans.Select(p => p.Label)),
                    ["model"] = string.Join(", ", options.Models.Select(m => m.Name)),
                };
                for (var i = 0; i < verdicts.Count; i++)
                {
                    summary[$"verdict{i + 1}"] = verdicts[i].Sentence;
                }

                run.Complete(summary, plans.SelectMany(p => p.Findings.Select(f => f with { Title = $"{p.Label}: {f.Title}" })));
            }

            var loaded = RunStore.LoadFolder(folder);
            return new ExperimentResult<PlanOutcome>(loaded, new PlanOutcome(plans, verdicts), loaded.Record.Findings, []);
        }
        finally
        {
            foreach (var c in candidates)
            {
                c.Rig.Dispose();
            }
        }
    }

    /// <summary><c>rig cost</c>: owning the rig (its bill of materials and electricity at its simulated or measured load)
    /// against renting cloud GPUs, per million tokens, with the breakeven.</summary>
    /// <param name="rig">A simulated rig spec (sim:&lt;profile&gt;): the cost model needs its profile's bill of materials.</param>
    /// <param name="energyRun">A run with GPU power telemetry (e.g. <c>monitor</c>) to take the rig's load from instead of the
    /// simulation (<see cref="MeasuredLoad"/>); not together with <see cref="CostOptions.LoadW"/>.</param>
    public static ExperimentResult<CostReport> Cost(RunStore store, string rig, CostOptions? options = null, LoadedRun? energyRun = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= CostOptions.Default;
        if (options.LoadW is not null && energyRun is not null)
        {
            throw new RigInputException("Give the rig's load once: a load in watts or a run with telemetry, not both.");
        }

        var candidate = PlanCandidate.Open(rig, []);
        using var opened = candidate.Rig;
        if (energyRun is not null)
        {
            var rest = opened.Describe().Psus is { Count: > 0 } psus ? psus.Sum(p => p.OtherLoadW) : (double?)null;
            options = options with { Measured = MeasuredLoad.FromRun(energyRun, rest) };
        }
        var report = CostPlanner.Plan(candidate, options);
        store.EnsureWritable();
        var spec = new JsonObject
        {
            ["rig"] = rig,
            ["model"] = report.Model,
            ["hoursPerDay"] = options.HoursPerDay,
            ["years"] = options.Years,
            ["resaleEur"] = options.ResaleEur,
            ["pricePerKWh"] = report.Electricity.PricePerKWh,
            ["region"] = report.Electricity.Region,
            ["usdToEur"] = report.UsdToEur.Rate,
            ["loadW"] = options.LoadW,
            ["energyRun"] = energyRun?.Id,
            ["gridGCo2PerKWh"] = options.GridGramsCo2PerKWh,
        };
        string folder;
        using (var run = store.Create(CostRows.Experiment, spec, opened.Describe()))
        {
            folder = run.Folder;
            run.Write(CostRows.Of(report));
            var summary = new Dictionary<string, string>();
            for (var i = 0; i < report.Conclusions.Count; i++)
            {
                summary[i == 0 ? "own" : $"rent{i}"] = report.Conclusions[i];
            }

            run.Complete(summary);
        }

        return new ExperimentResult<CostReport>(RunStore.LoadFolder(folder), report, [], []);
    }
}
