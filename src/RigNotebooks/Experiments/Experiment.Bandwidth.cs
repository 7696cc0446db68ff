using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RigNotebooks.Bandwidth;
using RigNotebooks.Bandwidth.Execution;
using RigNotebooks.Data;
using RigNotebooks.Results;
using RigNotebooks.Rigs;

namespace RigNotebooks.Experiments;

public static partial class Experiment
{
    /// <summary><c>rig bandwidth</c>: host↔GPU and GPU↔GPU bandwidth, latency and the P2P data check, P2P on and off,
    /// through the watchdog (<see cref="BandwidthExperiment.RunBandwidthAsync"/>); rows are durable as they are measured.</summary>
    public static async Task<ExperimentResult<BandwidthOutcome>> BandwidthAsync(
        RunStore store,
        IRig rig,
        BandwidthSpec? spec = null,
        IProgress<SuiteProgress>? progress = null,
        SuiteRunOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rig);
        spec ??= new BandwidthSpec();
        spec.Validate();
        store.EnsureWritable();
        var specJson = JsonSerializer.SerializeToNode(spec, KitJson.Compact)!.AsObject();
        specJson["rig"] = rig.Id;

        string folder;
        BandwidthOutcome result;
        using (var run = store.Create("bandwidth", specJson, rig.Describe()))
        {
            folder = run.Folder;
            try
            {
                result = await BandwidthExperiment.RunBandwidthAsync(rig, spec, run.Write, progress, options, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                run.Cancel();
                throw;
            }

            run.Complete(new Dictionary<string, string>
            {
                ["worst"] = Worst(result.Findings),
                ["findings"] = result.Findings.Count.ToString(CultureInfo.InvariantCulture),
                ["rows"] = result.Suite.Rows.Count.ToString(CultureInfo.InvariantCulture),
                ["executor"] = result.Suite.Executor,
                ["watchdog"] = WatchdogSummary(result.Suite.Events),
            }, result.Findings);
        }

        return new ExperimentResult<BandwidthOutcome>(RunStore.LoadFolder(folder), result, result.Findings, result.Suite.Events);
    }

    /// <summary><c>rig allreduce</c>: an nccl-tests style all-reduce sweep (busbw, #wrong), P2P off then on, through the
    /// watchdog (<see cref="BandwidthExperiment.RunAllReduceAsync"/>).</summary>
    public static async Task<ExperimentResult<AllReduceOutcome>> AllReduceAsync(
        RunStore store,
        IRig rig,
        AllReduceSpec? spec = null,
        IProgress<SuiteProgress>? progress = null,
        SuiteRunOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rig);
        spec ??= new AllReduceSpec();
        spec.Validate();
        store.EnsureWritable();
        var specJson = JsonSerializer.SerializeToNode(spec, KitJson.Compact)!.AsObject();
        specJson["rig"] = rig.Id;

        string folder;
        AllReduceOutcome result;
        using (var run = store.Create("allreduce", specJson, rig.Describe()))
        {
            folder = run.Folder;
            try
            {
                result = await BandwidthExperiment.RunAllReduceAsync(rig, spec, run.Write, progress, options, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                run.Cancel();
                throw;
            }

            var summary = new Dictionary<string, string>
            {
                ["findings"] = result.Findings.Count.ToString(CultureInfo.InvariantCulture),
                ["executor"] = result.Suite.Executor,
                ["watchdog"] = WatchdogSummary(result.Suite.Events),
            };
            foreach (var (mode, avg) in result.Report.AverageBusBwGBps)
            {
                summary[$"avgBusBwGBps_p2p_{mode}"] = avg.ToString("0.###", CultureInfo.InvariantCulture);
            }

            run.Complete(summary, result.Findings);
        }

        return new ExperimentResult<AllReduceOutcome>(RunStore.LoadFolder(folder), result, result.Findings, result.Suite.Events);
    }

    private static string WatchdogSummary(IReadOnlyList<string> events) => events.Count == 0 ? "nothing to report" : string.Join(" | ", events);
}
