using System.CommandLine;
using System.Globalization;
using RigNotebooks.Cli.Views;
using RigNotebooks.Experiments;
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
        var result = Experiment.Plan(context.Store, specs, edits, options);
        var (plans, verdicts) = (result.Report.Rigs, result.Report.Verdicts);
        if (context.Json)
        {
            context.WriteJson(new PlanReport("simulated", result.RunId, options.Models.Select(ModelInfo.Of).ToList(), microBatch, plans, verdicts));
        }
        else
        {
            PlanView.Render(context.Console, plans, verdicts, options, explain);
            context.ShowRun(result.RunId);
        }

        return Task.FromResult(ExitCodes.Ok);
    }

    private sealed record PlanReport(string Source, string RunId, IReadOnlyList<ModelInfo> Models, int MicroBatch, IReadOnlyList<RigPlan> Rigs, IReadOnlyList<PlanVerdict> Verdicts);

    internal sealed record ModelInfo(string Name, long Parameters, int Layers, int ModelDim, int SequenceLength, double TrainingFlopsPerToken, long GradientBytes)
    {
        public static ModelInfo Of(TransformerShape s) =>
            new(s.Name, s.ParameterCount, s.Layers, s.ModelDim, s.SequenceLength, s.TrainingFlopsPerToken, s.GradientBytes);

        public override string ToString() => $"{Name} ({(Parameters / 1e6).ToString("0.0", CultureInfo.InvariantCulture)} M parameters)";
    }
}
