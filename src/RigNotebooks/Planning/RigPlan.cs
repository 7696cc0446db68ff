using RigNotebooks.Doctor;

namespace RigNotebooks.Planning;

/// <summary>Everything the planner concluded about one rig: its figures, its power supplies, the doctor's findings.</summary>
/// <param name="Summary">One line: GPUs, links, CPU, PSUs.</param>
public sealed record RigPlan(
    string Label,
    string Spec,
    IReadOnlyList<string> Edits,
    IReadOnlyList<string> EditNotes,
    string Summary,
    int Gpus,
    IReadOnlyList<PlanFigure> Figures,
    IReadOnlyList<PsuPlan> Psus,
    IReadOnlyList<Finding> Findings)
{
    public string Source => "simulated";

    public PlanFigure? Figure(string metric, string? model = null) =>
        Figures.FirstOrDefault(f => f.Metric == metric && f.Model == model);
}

/// <summary>One power supply in a plan: the doctor's arithmetic at the caps, the simulated draw, and the transient case.</summary>
public sealed record PsuPlan(
    string Name,
    double RatingW,
    IReadOnlyList<int> Gpus,
    double DrawW,
    double LoadAtCapsW,
    double HeadroomAtCapsW,
    string Arithmetic,
    double? TransientLoadW,
    double MinimumLoadW,
    string Status);
