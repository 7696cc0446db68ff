using RigNotebooks.Planning;
using Spectre.Console;

namespace RigNotebooks.Cli.Views;

/// <summary>The planner's side-by-side table, the PSUs, the deltas that decide, and (with --explain) each derivation.</summary>
public static class PlanView
{
    public static void Render(IAnsiConsole console, IReadOnlyList<RigPlan> plans, IReadOnlyList<PlanVerdict> verdicts, PlanOptions options, bool explain)
    {
        console.MarkupLine($"[bold]rig plan[/] (simulated): {string.Join(", ", options.Models.Select(m => Markup.Escape($"{m.Name} ({m.ParameterCount / 1e6:0.0} M parameters)")))}, {options.MicroBatchSequences} sequences per GPU per step");
        foreach (var plan in plans)
        {
            console.MarkupLine($"  [bold]{Markup.Escape(plan.Label)}[/]: {Markup.Escape(plan.Summary)}");
            foreach (var note in plan.EditNotes)
            {
                console.MarkupLine($"    [grey]edit: {Markup.Escape(note)}[/]");
            }
        }

        var table = new Table().AddColumn("figure");
        foreach (var plan in plans)
        {
            table.AddColumn(new TableColumn(Markup.Escape(plan.Label)).RightAligned());
        }

        var rows = plans.SelectMany(p => p.Figures.Select(f => (f.Metric, f.Model, f.Label))).Distinct().ToList();
        foreach (var (metric, model, label) in rows)
        {
            var cells = new List<string> { Markup.Escape(label) };
            cells.AddRange(plans.Select(p => p.Figure(metric, model) is { } f ? (f.Known ? Markup.Escape(f.Display) : "[grey]unknown[/]") : "[grey]-[/]"));
            table.AddRow(cells.ToArray());
        }

        console.Write(table);

        foreach (var plan in plans)
        {
            foreach (var psu in plan.Psus)
            {
                var color = psu.Status == "ok" ? "green" : psu.Status == "overloaded" ? "red" : "yellow";
                console.MarkupLine($"  {Markup.Escape(plan.Label)} [{color}]{Markup.Escape(psu.Status)}[/] {Markup.Escape(psu.Name)}: at caps {Markup.Escape(psu.Arithmetic)}; simulated draw {psu.DrawW:0} W" +
                                   (psu.TransientLoadW is { } t ? $"; transients up to {t:0} W" : string.Empty));
            }
        }

        if (verdicts.Count > 0)
        {
            console.MarkupLine("[bold]What decides[/]");
            foreach (var v in verdicts)
            {
                console.MarkupLine($"  {Markup.Escape(v.Sentence)}");
            }
        }

        foreach (var plan in plans)
        {
            var problems = plan.Findings.Where(f => f.Severity >= Doctor.Severity.Warning).ToList();
            foreach (var f in problems)
            {
                var color = f.Severity == Doctor.Severity.Error ? "red" : "yellow";
                console.MarkupLine($"  [{color}]{(f.Severity == Doctor.Severity.Error ? "ERROR" : "WARN ")}[/] {Markup.Escape(plan.Label)}: {Markup.Escape(f.Title)} [grey]({Markup.Escape(f.Evidence)})[/]");
            }
        }

        if (explain)
        {
            console.MarkupLine("[bold]How each figure was derived[/]");
            foreach (var plan in plans)
            {
                console.MarkupLine($"  [bold]{Markup.Escape(plan.Label)}[/]");
                foreach (var f in plan.Figures)
                {
                    console.MarkupLine($"    {Markup.Escape(f.Label)} = {Markup.Escape(f.Display)}: [grey]{Markup.Escape(f.Explanation)}[/]");
                }
            }
        }
        else
        {
            console.MarkupLine("[grey]--explain shows how each figure was derived; every figure is simulated from the profiles.[/]");
        }
    }
}
