using System.Globalization;
using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Rigs;

namespace RigNotebooks.Bandwidth.Cases;

/// <summary>
/// One test case, in nvbandwidth's shape: a key, a description, a "can it run here" check that yields a waived row
/// with its reason, and a run method that yields rows (docs/ROWS.md) as they are measured.
/// </summary>
public abstract class BandwidthCase(string key, string experiment, string description, string primaryMetric, string primaryUnit)
{
    public string Key { get; } = key;

    /// <summary><c>bandwidth</c> or <c>allreduce</c>: the experiment column of its rows.</summary>
    public string Experiment { get; } = experiment;

    public string Description { get; } = description;

    /// <summary>The metric a waived, hung or failed row of this case carries.</summary>
    public string PrimaryMetric { get; } = primaryMetric;

    public string PrimaryUnit { get; } = primaryUnit;

    /// <summary>Peer transfers and collectives can hang a broken driver: they only run in a watched child process.</summary>
    public virtual bool NeedsWatchdog => false;

    /// <summary>The work items of this case on a rig: one per GPU, per ordered pair, or per size. A rig without the
    /// GPUs the case needs still gets items (with no GPU), so the case comes back waived rather than missing.</summary>
    public abstract IEnumerable<WorkItem> Plan(RigDescription rig, CaseSettings settings);

    /// <summary>Null when the item can run on this rig; otherwise why not (the waived row's note).</summary>
    public abstract string? WhyNot(IRig rig, WorkItem item);

    /// <summary>Measures one item and yields its rows, each as soon as it is known.</summary>
    public abstract IEnumerable<ResultRow> Run(IRig rig, WorkItem item, CaseSettings settings, CancellationToken cancellationToken);

    /// <summary>The row parameters of an item (docs/ROWS.md: size_bytes, p2p, inplace, gpus).</summary>
    public abstract IReadOnlyDictionary<string, string> Parameters(WorkItem item, CaseSettings settings);

    /// <summary>Items that hang for the same reason share a group: after one hangs, the rest of its group is not
    /// attempted again in the same run.</summary>
    public virtual string HangGroup(WorkItem item) => Key;

    /// <summary>Environment the child process running this item needs (a null value removes the variable).</summary>
    public virtual IReadOnlyDictionary<string, string?> Environment(WorkItem item) => NoEnvironment;

    /// <summary>A row for an item that was not measured: waived, hung, or failed, with its reason.</summary>
    public ResultRow NotMeasured(WorkItem item, CaseSettings settings, RowStatus status, string note, DataSource source) =>
        ResultRow.NotMeasured(status, Experiment, Key, item.Gpu, item.Peer, PrimaryMetric, PrimaryUnit, source, note, Parameters(item, settings));

    /// <summary>"peer_unidirectional GPU 0->1 p2p=on", for progress lines and notes.</summary>
    public virtual string Describe(WorkItem item)
    {
        var where = item switch
        {
            { Gpu: { } g, Peer: { } p } => $" GPU {g}->{p}",
            { Gpu: { } g } => $" GPU {g}",
            _ => string.Empty,
        };
        var p2p = item.P2P is { } on ? $" p2p={OnOff(on)}" : string.Empty;
        return $"{Key}{where}{p2p}";
    }

    protected static readonly IReadOnlyDictionary<string, string?> NoEnvironment = new Dictionary<string, string?>();

    /// <summary>P2P on, then off: the order peer matrices are measured in.</summary>
    protected static readonly IReadOnlyList<bool> OnThenOff = [true, false];

    protected static string OnOff(bool on) => on ? "on" : "off";

    protected static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    protected static ResultRow Row(string experiment, string @case, WorkItem item, string metric, double value, string unit, DataSource source, IReadOnlyDictionary<string, string> parameters) =>
        ResultRow.Ok(experiment, @case, item.Gpu, item.Peer, metric, value, unit, source, parameters);

    /// <summary>The rows of a timed copy: median bandwidth, its min and max.</summary>
    protected IEnumerable<ResultRow> BandwidthRows(WorkItem item, Measurement.CopyTiming timing, DataSource source, IReadOnlyDictionary<string, string> parameters)
    {
        var stats = Measurement.SampleStats.Of(timing.BandwidthsGBps);
        yield return Row(Experiment, Key, item, "bandwidth", stats.Median, "GB/s", source, parameters);
        yield return Row(Experiment, Key, item, "bandwidth_min", stats.Min, "GB/s", source, parameters);
        yield return Row(Experiment, Key, item, "bandwidth_max", stats.Max, "GB/s", source, parameters);
    }

    protected static IEnumerable<WorkItem> PerGpu(string key, RigDescription rig) =>
        rig.Gpus.Count == 0 ? [new WorkItem(key)] : rig.Gpus.Select(g => new WorkItem(key, g.Index));

    protected static IEnumerable<(int From, int To)> OrderedPairs(RigDescription rig) =>
        from a in rig.Gpus from b in rig.Gpus where a.Index != b.Index select (a.Index, b.Index);

    protected static string? NeedsGpu(IRig rig, WorkItem item)
    {
        var count = rig.Describe().Gpus.Count;
        if (item.Gpu is not { } gpu)
        {
            return "this rig has no GPU";
        }

        return gpu < count ? null : $"GPU {gpu} does not exist: this rig has {count} GPU(s)";
    }

    protected static string? NeedsPair(IRig rig, WorkItem item)
    {
        var count = rig.Describe().Gpus.Count;
        if (item.Gpu is not { } a || item.Peer is not { } b)
        {
            return $"needs two GPUs; this rig has {count}";
        }

        if (a >= count || b >= count)
        {
            return $"GPU pair {a}->{b} does not exist: this rig has {count} GPU(s)";
        }

        return a == b ? "a peer case needs two different GPUs" : null;
    }

    protected static string? NeedsPeerAccess(IRig rig, WorkItem item)
    {
        if (item is { P2P: true, Gpu: { } a, Peer: { } b })
        {
            var pair = rig.Describe().Pair(a, b);
            if (!pair.P2P.Supported)
            {
                return $"no peer access from GPU {a} to GPU {b}: {pair.P2P.Reason}";
            }
        }

        return null;
    }

    protected static string? Capability<T>(IRig rig)
        where T : class
    {
        var capability = rig.Get<T>();
        return capability.IsAvailable ? null : capability.WhyNot;
    }
}
