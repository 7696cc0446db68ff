using System.Globalization;
using System.Text.Json.Nodes;
using RigNotebooks.Bandwidth;
using RigNotebooks.Bandwidth.Execution;
using RigNotebooks.Data;
using RigNotebooks.Doctor;
using RigNotebooks.Results;
using RigNotebooks.Rigs;

namespace RigNotebooks.Experiments;

public static partial class Experiment
{
    /// <summary>
    /// <c>rig doctor [--deep]</c>: the standard rules on the rig's description and environment, and with
    /// <paramref name="deep"/> the quick P2P correctness and hang check through the watchdog (<see cref="DeepCheck"/>),
    /// whose rows go into the run too. One <c>doctor</c> row per finding (metric <c>severity</c>).
    /// </summary>
    /// <param name="environment">The process environment the rules read (NCCL_P2P_DISABLE, …); null = this process's.</param>
    public static async Task<ExperimentResult> DoctorAsync(
        RunStore store,
        IRig rig,
        bool deep = false,
        SuiteRunOptions? options = null,
        IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rig);
        store.EnsureWritable();
        var description = rig.Describe();
        IEnumerable<Finding> findings = RigDoctor.Standard.Examine(new DoctorInput(description, environment ?? DoctorInput.CurrentEnvironment(), ReferenceData.Default));

        string folder;
        IReadOnlyList<Finding> ordered;
        IReadOnlyList<string> events = [];
        using (var run = store.Create("doctor", new JsonObject { ["rig"] = rig.Id, ["deep"] = deep }, description))
        {
            folder = run.Folder;
            if (deep)
            {
                try
                {
                    var check = await DeepCheck.RunAsync(rig, run.Write, options, cancellationToken).ConfigureAwait(false);
                    events = check.Events;
                    findings = findings.Concat(check.Findings);
                }
                catch (OperationCanceledException)
                {
                    run.Cancel();
                    throw;
                }
            }

            ordered = Ordered(findings);
            foreach (var f in ordered)
            {
                run.Write(ResultRow.Ok("doctor", f.Code, null, null, "severity", (int)f.Severity, "level", rig.Source) with { Note = f.Title });
            }

            var summary = new Dictionary<string, string>
            {
                ["worst"] = Worst(ordered),
                ["findings"] = ordered.Count.ToString(CultureInfo.InvariantCulture),
            };
            if (events.Count > 0)
            {
                summary["watchdog"] = string.Join(" | ", events);
            }

            run.Complete(summary, ordered);
        }

        return new ExperimentResult(RunStore.LoadFolder(folder), ordered, events);
    }
}
