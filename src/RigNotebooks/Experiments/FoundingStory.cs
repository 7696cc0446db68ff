using RigNotebooks.Bandwidth;
using RigNotebooks.Bandwidth.Execution;
using RigNotebooks.Errors;
using RigNotebooks.Model;
using RigNotebooks.Planning.Cost;
using RigNotebooks.Results;
using RigNotebooks.Rigs;
using RigNotebooks.Simulation;
using RigNotebooks.TrainingRuns;

namespace RigNotebooks.Experiments;

/// <summary>Which rigs the founding story is told on.</summary>
/// <param name="Rig">The rig after the fix (the default simulated reference rig, or your own).</param>
/// <param name="FailingRig">The failing state: driver 545 reports P2P, peer transfers and the first collective hang.</param>
/// <param name="IommuRig">The IOMMU variant: peer transfers translated by the IOMMU, slow and corrupt.</param>
/// <param name="Suite">How watched cases run (worker process or in-process, deadline); null = the defaults.</param>
public sealed record StoryOptions(
    string Rig = RigSelector.DefaultRig,
    string FailingRig = StoryOptions.DefaultFailingRig,
    string IommuRig = StoryOptions.DefaultIommuRig,
    SuiteRunOptions? Suite = null)
{
    public const string DefaultFailingRig = "sim:blog-3x3090-driver545";
    public const string DefaultIommuRig = "sim:blog-3x3090-iommu";
}

/// <summary>Where the story is: chapter <paramref name="Chapter"/> of <paramref name="Chapters"/> is starting.</summary>
public sealed record StoryProgress(int Chapter, int Chapters, string Title);

/// <summary>Everything the founding story ran, chapter by chapter. A chapter that cannot run on the chosen rig is null
/// and <see cref="Skipped"/> says why (e.g. simulated scaling on a real rig).</summary>
public sealed record StoryResult(
    StoryOptions Options,
    string ResultsFolder,
    RigDescription Rig,
    ExperimentResult Failing,
    ExperimentResult<SimulatedScalingReport> FailingScaling,
    ExperimentResult Iommu,
    ExperimentResult Fixed,
    ExperimentResult<BandwidthOutcome> Bandwidth,
    ExperimentResult<AllReduceOutcome> AllReduce,
    ExperimentResult<SimulatedScalingReport>? Scaling,
    ExperimentResult<CostReport>? Cost,
    IReadOnlyDictionary<string, string> Skipped,
    TimeSpan Elapsed)
{
    /// <summary>Every run the story wrote, in the order of the story.</summary>
    public IReadOnlyList<ExperimentResult> Runs =>
        new ExperimentResult?[] { Failing, FailingScaling, Iommu, Fixed, Bandwidth, AllReduce, Scaling, Cost }.OfType<ExperimentResult>().ToList();
}

/// <summary>
/// The founding write-up, replayed: what the rig is → the failing state under driver 545, the watchdog catching the hang
/// (and training that hangs with P2P, crawls without) → the IOMMU variant → the fix → bandwidth and all-reduce → DDP
/// scaling with P2P on and off → energy and cost. Notebook 00 runs the same calls one cell at a time; <c>rig reproduce</c>
/// runs this and renders the report. The failing states are profiles of the reference rig, so they are simulated even
/// when <see cref="StoryOptions.Rig"/> is a real machine.
/// </summary>
public static class FoundingStory
{
    public const int Chapters = 8;

    public static async Task<StoryResult> RunAsync(RunStore store, StoryOptions? options = null, IProgress<StoryProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new StoryOptions();
        store.EnsureWritable();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var skipped = new Dictionary<string, string>(StringComparer.Ordinal);
        var chapter = 0;
        void Next(string title) => progress?.Report(new StoryProgress(++chapter, Chapters, title));

        ExperimentResult failing;
        ExperimentResult<SimulatedScalingReport> failingScaling;
        Next("the failing state: driver 545, doctor --deep with the watchdog");
        using (var broken = RigSelector.Open(options.FailingRig))
        {
            failing = await Experiment.DoctorAsync(store, broken, deep: true, options.Suite, cancellationToken: cancellationToken).ConfigureAwait(false);
            Next("the failing state: DDP training with P2P on and off");
            failingScaling = Experiment.TrainScaling(store, broken);
        }

        ExperimentResult iommu;
        Next("the IOMMU variant: doctor --deep");
        using (var translated = RigSelector.Open(options.IommuRig))
        {
            iommu = await Experiment.DoctorAsync(store, translated, deep: true, options.Suite, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        using var rig = RigSelector.Open(options.Rig);
        var description = rig.Describe();
        Next("the fix: doctor --deep on the fixed rig");
        var fixedRig = await Experiment.DoctorAsync(store, rig, deep: true, options.Suite, cancellationToken: cancellationToken).ConfigureAwait(false);
        Next("bandwidth: host and GPU-to-GPU, P2P on and off");
        var bandwidth = await Experiment.BandwidthAsync(store, rig, options: options.Suite, cancellationToken: cancellationToken).ConfigureAwait(false);
        Next("all-reduce: bus bandwidth across sizes");
        var allReduce = await Experiment.AllReduceAsync(store, rig, options: options.Suite, cancellationToken: cancellationToken).ConfigureAwait(false);

        Next("DDP scaling with P2P on and off");
        ExperimentResult<SimulatedScalingReport>? scaling = null;
        if (rig is SimulatedRig)
        {
            scaling = Experiment.TrainScaling(store, rig);
        }
        else
        {
            skipped["scaling"] = $"simulated scaling needs a simulated rig; on '{rig.Id}' time your own training with `rig train --cmd … --gpus 1,2,3`";
        }

        Next("energy and cost: owning against renting");
        ExperimentResult<CostReport>? cost = null;
        try
        {
            cost = Experiment.Cost(store, options.Rig);
        }
        catch (RigInputException ex)
        {
            skipped["cost"] = ex.Message;
        }

        return new StoryResult(options, store.Root, description, failing, failingScaling, iommu, fixedRig, bandwidth, allReduce, scaling, cost, skipped, clock.Elapsed);
    }
}
