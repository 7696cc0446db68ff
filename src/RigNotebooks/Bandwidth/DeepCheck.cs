using RigNotebooks.Bandwidth.Cases;
using RigNotebooks.Bandwidth.Execution;
using RigNotebooks.Data;
using RigNotebooks.Doctor;
using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Rigs;

namespace RigNotebooks.Bandwidth;

/// <summary>
/// `rig doctor --deep`: the quick correctness and hang check, through the watchdog. Per ordered GPU pair, the P2P data
/// check (8 bytes, then 64 MiB) and one short P2P-on vs P2P-off copy; then a tiny all-reduce with P2P on, checked
/// against a control run with P2P off — copy tests can pass while collectives still fail (REFERENCE.md §4).
/// </summary>
public static class DeepCheck
{
    public const long CheckBytes = 64L * 1024 * 1024;

    public static CaseSettings Settings { get; } = new(
        new BandwidthSpec
        {
            BufferBytes = CheckBytes,
            CopiesPerSample = 4,
            Samples = 1,
            WarmupCopies = 1,
            CheckFullBytes = CheckBytes,
            Cases = ["peer_correctness", "peer_unidirectional"],
        },
        new AllReduceSpec
        {
            MinBytes = 8,
            MaxBytes = 1024 * 1024,
            StepFactor = 128 * 1024,
            Iterations = 5,
            InPlaceModes = [false],
        });

    public static IReadOnlyList<WorkItem> Plan(RigDescription rig) =>
        rig.Gpus.Count < 2
            ? []
            : [.. BandwidthCases.PlanBandwidth(rig, Settings), .. BandwidthCases.PlanAllReduce(rig, Settings)];

    /// <summary>Runs the check; rows go to <paramref name="sink"/> as they are measured.</summary>
    public static async Task<DeepCheckResult> RunAsync(IRig rig, Action<ResultRow>? sink, SuiteRunOptions? options, CancellationToken cancellationToken)
    {
        var description = rig.Describe();
        var items = Plan(description);
        if (items.Count == 0)
        {
            return new DeepCheckResult([], [], ["fewer than two GPUs: no peer path to check"]);
        }

        var outcome = await new SuiteRunner(options).RunAsync(rig, Settings, items, sink, null, cancellationToken).ConfigureAwait(false);
        return new DeepCheckResult(outcome.Rows, BandwidthFindings.Examine(outcome.Rows, description, ReferenceData.Default), outcome.Events);
    }
}

public sealed record DeepCheckResult(IReadOnlyList<ResultRow> Rows, IReadOnlyList<Finding> Findings, IReadOnlyList<string> Events);
