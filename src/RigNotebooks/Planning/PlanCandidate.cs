using RigNotebooks.Data;
using RigNotebooks.Errors;
using RigNotebooks.Rigs;
using RigNotebooks.Simulation;

namespace RigNotebooks.Planning;

/// <summary>A rig the planner compares: a simulated profile, possibly edited with <c>--set</c>.</summary>
/// <param name="Label">How tables name it: the rig spec, plus the edits (<c>sim:blog-3x3090 +cap=250</c>).</param>
public sealed record PlanCandidate(string Label, string Spec, IReadOnlyList<string> Edits, IReadOnlyList<string> EditNotes, SimulatedRig Rig)
{
    /// <summary>Opens <paramref name="spec"/> (<c>sim:&lt;profile&gt;</c> or <c>sim:&lt;path.json&gt;</c>) and applies the edits.</summary>
    public static PlanCandidate Open(string spec, IReadOnlyList<string> edits, ReferenceData? data = null)
    {
        data ??= ReferenceData.Default;
        if (!spec.Trim().StartsWith("sim:", StringComparison.OrdinalIgnoreCase))
        {
            throw new RigInputException($"The planner compares rigs that might exist, as profiles: '{spec}' is not sim:<profile> or sim:<path.json>. (For this machine, write its profile and plan with sim:<path.json>.)");
        }

        var opened = RigSelector.Open(spec, RigOpenOptions.Default with { Data = data });
        if (opened is not SimulatedRig rig)
        {
            opened.Dispose();
            throw new RigInputException($"'{spec}' did not open as a simulated rig.");
        }

        if (edits.Count == 0)
        {
            return new PlanCandidate(spec.Trim(), spec.Trim(), [], [], rig);
        }

        var edited = ProfileEditor.Apply(rig.Profile, spec.Trim(), edits, data);
        var label = $"{spec.Trim()} +{string.Join(" +", edits)}";
        rig.Dispose();
        return new PlanCandidate(label, spec.Trim(), edits, edited.Notes, new SimulatedRig(edited.Profile, label, data, rig.Options));
    }
}
