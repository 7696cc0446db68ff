using RigNotebooks.Bandwidth;
using RigNotebooks.Bandwidth.Execution;
using RigNotebooks.Errors;
using RigNotebooks.Model;
using RigNotebooks.Planning.Cost;
using RigNotebooks.Power;
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

    /// <summary>Ten minutes under load at the rig's cap: long enough for the VRAM to reach its steady temperature.</summary>
    public const double MonitorSeconds = 600;

    /// <summary>The story's sweep: the stock 350 W down to 200 W, a warm-up at each cap until the temperatures settle (the
    /// sweep's default: the VRAM is at its steady temperature before the minute that is measured), one sample a second, and the write-up's rule: the lowest cap that costs at
    /// most a few percent of throughput ("a couple of percent slower"), here 4 %.</summary>
    public static PowerSweepSpec Sweep { get; } = new()
    {
        CapsW = [350, 325, 300, 285, 250, 225, 200],
        MeasureS = 60,
        RateHz = 1,
        Selection = new SelectorSettings(CapSelector.Slowdown, MaxSlowdownPct: 4),
    };
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
    ExperimentResult<PowerSweepResult>? PowerSweep,
    ExperimentResult<MonitorOutcome>? Thermals,
    ExperimentResult<CostReport>? Cost,
    IReadOnlyDictionary<string, string> Skipped,
    TimeSpan Elapsed)
{
    /// <summary>Every run the story wrote, in the order of the story.</summary>
    public IReadOnlyList<ExperimentResult> Runs =>
        new ExperimentResult?[] { Failing, FailingScaling, Iommu, Fixed, Bandwidth, AllReduce, Scaling, PowerSweep, Thermals, Cost }.OfType<ExperimentResult>().ToList();
}

/// <summary>
/// The founding write-up, replayed: what the rig is → the failing state under driver 545, the watchdog catching the hang
/// (and training that hangs with P2P, runs slower without) → the IOMMU variant → the fix → bandwidth and all-reduce → DDP
/// scaling with P2P on and off → the power-cap sweep and why 285 W → thermals and VRAM under load → energy and cost. Notebook 00 runs the same calls one cell at a time; <c>rig reproduce</c>
/// runs this and renders the report. The failing states are profiles of the reference rig, so they are simulated even
/// when <see cref="StoryOptions.Rig"/> is a real machine; on a real machine the chapters that change power limits or
/// run a ten-minute burn are left to the user (skipped, with the command to run).
/// </summary>
public static class FoundingStory
{
    public const int Chapters = 10;

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

        ExperimentResult<PowerSweepResult>? sweep = null;
        ExperimentResult<MonitorOutcome>? thermals = null;
        Next("the power-cap sweep: why 285 W");
        if (rig.Source == DataSource.Simulated)
        {
            sweep = await Experiment.PowerSweepAsync(store, rig, StoryOptions.Sweep, cancellationToken: cancellationToken).ConfigureAwait(false);
            Next("thermals and VRAM: ten minutes under load");
            thermals = await Experiment.MonitorAsync(store, rig, StoryOptions.MonitorSeconds, rateHz: 1, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            skipped["power"] = $"the sweep changes the GPUs' power limits: run `sudo rig power sweep --rig {rig.Id}` yourself (or add --dry-run)";
            Next("thermals and VRAM: ten minutes under load");
            skipped["thermals"] = $"ten minutes of a GPU burn are yours to start: `rig monitor --rig {rig.Id} --workload burn --duration 600`";
        }

        Next("energy and cost: owning against renting");
        ExperimentResult<CostReport>? cost = null;
        try
        {
            cost = Experiment.Cost(store, options.Rig, energyRun: thermals?.Run);
        }
        catch (RigInputException ex)
        {
            skipped["cost"] = ex.Message;
        }

        return new StoryResult(options, store.Root, description, failing, failingScaling, iommu, fixedRig, bandwidth, allReduce, scaling, sweep, thermals, cost, skipped, clock.Elapsed);
    }
}
