using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using RigNotebooks.Cli.Views;
using RigNotebooks.Planning;
using RigNotebooks.Simulation.Physics;
using Spectre.Console;

namespace RigNotebooks.Cli.Commands;

/// <summary>`rig plan`: compare rigs that might exist — profiles, or a profile with edits — on the same workloads.</summary>
public static class PlanCommand
{
    public static Command Create(GlobalOptions options, TextWriter stdout, TextWriter stderr)
    {
        var compare = new Option<string[]>("--compare")
        {
            Description = "The rigs to compare, first = baseline: sim:<profile> or sim:<path.json> (default: --rig).",
            AllowMultipleArgumentsPerToken = true,
        };
        var set = new Option<string[]>("--set")
        {
            Description = "An edit, repeatable: gpus=4, link=gen3x4, cap=285, psu=1000, psu[1]=1000, gpu=<model>, ambient=30. " +
                          "Adds the edited rig(s) after the unedited baseline.",
        };
        var model = new Option<string>("--model")
        {
            Description = "A model to plan besides the reference gpt-100m: a preset (tiny, small, medium, gpt-100m) or a parameter count (350M, 1.3B).",
        };
        var microBatch = new Option<int>("--micro-batch")
        {
            Description = "Sequences per GPU per step.",
            DefaultValueFactory = _ => PlanOptions.Default.MicroBatchSequences,
        };
        var explain = new Option<bool>("--explain") { Description = "Show how each figure was derived." };

        var command = CommandFactory.Create(
            "plan",
            "What-if planner: compare rigs (profiles, or edited with --set) on data-parallel scaling, links, power, PSUs, lanes and heat, with the deltas that decide.",
            options,
            (c, ct) => RunAsync(c, c.Get(compare) ?? [], c.Get(set) ?? [], c.Get(model), c.Get(microBatch), c.Get(explain)),
            stdout,
            stderr);
        command.Options.Add(compare);
        command.Options.Add(set);
        command.Options.Add(model);
        command.Options.Add(microBatch);
        command.Options.Add(explain);
        return command;
    }

    private static Task<int> RunAsync(CommandContext context, string[] compare, string[] edits, string? modelText, int microBatch, bool explain)
    {
        if (microBatch < 1)
        {
            throw new Errors.RigInputException($"--micro-batch must be 1 or more, not {microBatch}.");
        }

        var options = new PlanOptions(modelText is null ? null : ModelSize.Parse(modelText), microBatch);
        var specs = compare.Length > 0 ? compare : [context.RigSpec];
        var candidates = new List<PlanCandidate>();
        try
        {
            candidates.Add(PlanCandidate.Open(specs[0], []));
            foreach (var rigSpec in edits.Length > 0 ? specs : specs.Skip(1))
            {
                candidates.Add(PlanCandidate.Open(rigSpec, edits));
            }

            var plans = candidates.Select(c => RigPlanner.Default.Plan(c, options)).ToList();
            var verdicts = PlanComparison.Compare(plans);

            context.Store.EnsureWritable();
            var spec = new JsonObject
            {
                ["compare"] = new JsonArray(specs.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
                ["set"] = new JsonArray(edits.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
                ["model"] = modelText,
                ["microBatch"] = microBatch,
            };
            using var run = context.Store.Create(PlanRows.Experiment, spec, candidates[0].Rig.Describe());
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

            if (context.Json)
            {
                context.WriteJson(new PlanReport("simulated", run.Id, options.Models.Select(ModelInfo.Of).ToList(), microBatch, plans, verdicts));
            }
            else
            {
                PlanView.Render(context.Console, plans, verdicts, options, explain);
                context.ShowRun(run.Id);
            }

            return Task.FromResult(ExitCodes.Ok);
        }
        finally
        {
            foreach (var c in candidates)
            {
                c.Rig.Dispose();
            }
        }
    }

    private sealed record PlanReport(string Source, string RunId, IReadOnlyList<ModelInfo> Models, int MicroBatch, IReadOnlyList<RigPlan> Rigs, IReadOnlyList<PlanVerdict> Verdicts);

    internal sealed record ModelInfo(string Name, long Parameters, int Layers, int ModelDim, int SequenceLength, double TrainingFlopsPerToken, long GradientBytes)
    {
        public static ModelInfo Of(TransformerShape s) =>
            new(s.Name, s.ParameterCount, s.Layers, s.ModelDim, s.SequenceLength, s.TrainingFlopsPerToken, s.GradientBytes);

        public override string ToString() => $"{Name} ({(Parameters / 1e6).ToString("0.0", CultureInfo.InvariantCulture)} M parameters)";
    }
}
