using RigNotebooks.Bandwidth.Cases;
using RigNotebooks.Bandwidth.Execution;
using RigNotebooks.Data;
using RigNotebooks.Doctor;
using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Rigs;

namespace RigNotebooks.Bandwidth;

/// <summary>
/// The bandwidth and all-reduce experiments as one call each, for the CLI and notebooks alike: plan the cases for
/// the rig, run them through the watchdog (rows go to <c>sink</c>, e.g. a <see cref="RunWriter"/>, as they are
/// measured), then the report and the findings.
/// </summary>
public static class BandwidthExperiment
{
    public static async Task<BandwidthOutcome> RunBandwidthAsync(
        IRig rig,
        BandwidthSpec? spec = null,
        Action<ResultRow>? sink = null,
        IProgress<SuiteProgress>? progress = null,
        SuiteRunOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        spec ??= new BandwidthSpec();
        spec.Validate();
        var (outcome, description) = await RunSuiteAsync(
            rig, new CaseSettings(spec, new AllReduceSpec()), BandwidthCases.PlanBandwidth, spec.DeadlineSeconds, sink, progress, options, cancellationToken).ConfigureAwait(false);
        return new BandwidthOutcome(
            outcome,
            BandwidthReport.From(outcome.Rows, description.Gpus.Count),
            BandwidthFindings.Examine(outcome.Rows, description, ReferenceData.Default));
    }

    public static async Task<AllReduceOutcome> RunAllReduceAsync(
        IRig rig,
        AllReduceSpec? spec = null,
        Action<ResultRow>? sink = null,
        IProgress<SuiteProgress>? progress = null,
        SuiteRunOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        spec ??= new AllReduceSpec();
        spec.Validate();
        var (outcome, description) = await RunSuiteAsync(
            rig, new CaseSettings(new BandwidthSpec(), spec), BandwidthCases.PlanAllReduce, spec.DeadlineSeconds, sink, progress, options, cancellationToken).ConfigureAwait(false);
        return new AllReduceOutcome(
            outcome,
            AllReduceReport.From(outcome.Rows),
            BandwidthFindings.Examine(outcome.Rows, description, ReferenceData.Default));
    }

    /// <summary>Plans the cases for the rig and runs them through the watchdog.</summary>
    private static async Task<(SuiteOutcome Outcome, RigDescription Description)> RunSuiteAsync(
        IRig rig,
        CaseSettings settings,
        Func<RigDescription, CaseSettings, IReadOnlyList<WorkItem>> plan,
        double? deadlineSeconds,
        Action<ResultRow>? sink,
        IProgress<SuiteProgress>? progress,
        SuiteRunOptions? options,
        CancellationToken cancellationToken)
    {
        var description = rig.Describe();
        var outcome = await new SuiteRunner(options ?? new SuiteRunOptions(DeadlineSeconds: deadlineSeconds))
            .RunAsync(rig, settings, plan(description, settings), sink, progress, cancellationToken).ConfigureAwait(false);
        return (outcome, description);
    }
}

/// <summary>A bandwidth run: the rows and what the watchdog did, the matrices, and the findings.</summary>
public sealed record BandwidthOutcome(SuiteOutcome Suite, BandwidthReport Report, IReadOnlyList<Finding> Findings);

/// <summary>An all-reduce run: the rows and what the watchdog did, the nccl-tests table, and the findings.</summary>
public sealed record AllReduceOutcome(SuiteOutcome Suite, AllReduceReport Report, IReadOnlyList<Finding> Findings);
