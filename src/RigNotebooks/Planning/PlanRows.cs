using RigNotebooks.Model;
using RigNotebooks.Results;

namespace RigNotebooks.Planning;

/// <summary>A plan as tidy rows (docs/ROWS.md, experiment <c>plan</c>): case = the rig's label, one row per figure,
/// params <c>rig</c> (and <c>model</c> for training figures); an unknown figure is a waived row whose note says why.</summary>
public static class PlanRows
{
    public const string Experiment = "plan";

    public static IEnumerable<ResultRow> Of(RigPlan plan)
    {
        foreach (var f in plan.Figures)
        {
            var parameters = new Dictionary<string, string> { ["rig"] = plan.Label };
            if (f.Model is { } model)
            {
                parameters["model"] = model;
            }

            yield return f.Value is { } value
                ? ResultRow.Ok(Experiment, plan.Label, null, null, f.Metric, value, f.Unit, DataSource.Simulated, parameters)
                : ResultRow.NotMeasured(RowStatus.Waived, Experiment, plan.Label, null, null, f.Metric, f.Unit, DataSource.Simulated, $"unknown: {f.Explanation}", parameters);
        }
    }
}
