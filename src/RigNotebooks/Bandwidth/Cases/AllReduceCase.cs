using System.Globalization;
using RigNotebooks.Bandwidth.Measurement;
using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Rigs;

namespace RigNotebooks.Bandwidth.Cases;

/// <summary>All-reduce (float32 sum) over the rig's GPUs at one size, P2P on or off, in-place or out-of-place:
/// time, algbw, busbw = algbw × 2(n−1)/n and the #wrong data check, as nccl-tests reports them. P2P off is
/// NCCL_P2P_DISABLE=1 in the environment of the child process that runs it.</summary>
public sealed class AllReduceCase() : BandwidthCase(
    "allreduce",
    "allreduce",
    "NCCL all-reduce (float32 sum) across a size sweep, P2P on and off, out-of-place and in-place",
    "busbw",
    "GB/s")
{
    public const string P2PDisableVariable = "NCCL_P2P_DISABLE";

    public override bool NeedsWatchdog => true;

    public override IEnumerable<WorkItem> Plan(RigDescription rig, CaseSettings settings)
    {
        var spec = settings.AllReduce;
        var gpus = spec.Gpus ?? rig.Gpus.Select(g => g.Index).ToList();
        foreach (var p2p in spec.PeerToPeerModes)
        {
            foreach (var size in spec.Sizes())
            {
                foreach (var inPlace in spec.InPlaceModes)
                {
                    yield return new WorkItem(Key, P2P: p2p, SizeBytes: size, InPlace: inPlace, Gpus: gpus);
                }
            }
        }
    }

    public override string? WhyNot(IRig rig, WorkItem item)
    {
        var count = rig.Describe().Gpus.Count;
        var gpus = item.Gpus ?? [];
        if (gpus.Count == 0)
        {
            return "this rig has no GPU";
        }

        var missing = gpus.Where(g => g < 0 || g >= count).ToList();
        if (missing.Count > 0)
        {
            return $"GPU {string.Join(", ", missing)} does not exist: this rig has {count} GPU(s)";
        }

        if (gpus.Count == 1 && item.P2P == false)
        {
            return "one GPU: there is no peer traffic for NCCL_P2P_DISABLE to change";
        }

        return Capability<IAllReduceTimer>(rig);
    }

    public override IReadOnlyDictionary<string, string> Parameters(WorkItem item, CaseSettings settings) => new Dictionary<string, string>
    {
        ["size_bytes"] = Num(item.SizeBytes ?? 0),
        ["p2p"] = OnOff(item.P2P ?? true),
        ["inplace"] = (item.InPlace ?? false) ? "true" : "false",
        ["gpus"] = (item.Gpus?.Count ?? 0).ToString(CultureInfo.InvariantCulture),
    };

    public override string HangGroup(WorkItem item) => item.P2P == false ? "allreduce-p2p-off" : "allreduce-p2p-on";

    public override IReadOnlyDictionary<string, string?> Environment(WorkItem item) =>
        new Dictionary<string, string?> { [P2PDisableVariable] = item.P2P == false ? "1" : null };

    public override string Describe(WorkItem item) =>
        $"{Key} {Bandwidth.ByteSize.Format(item.SizeBytes ?? 0)} p2p={OnOff(item.P2P ?? true)} {((item.InPlace ?? false) ? "in-place" : "out-of-place")}";

    public override IEnumerable<ResultRow> Run(IRig rig, WorkItem item, CaseSettings settings, CancellationToken cancellationToken)
    {
        var spec = settings.AllReduce;
        var gpus = item.Gpus!;
        var bytes = item.SizeBytes!.Value;
        var timing = rig.Get<IAllReduceTimer>().Require().Time(
            new AllReduceRequest(gpus, bytes, item.InPlace ?? false, item.P2P ?? true, spec.WarmupIterations, spec.Iterations, spec.CheckData),
            cancellationToken);
        var parameters = Parameters(item, settings);
        var algbw = AllReduceMath.AlgBwGBps(bytes, timing.TimeUs);
        yield return Row(Experiment, Key, item, "time", timing.TimeUs, "us", rig.Source, parameters);
        yield return Row(Experiment, Key, item, "algbw", algbw, "GB/s", rig.Source, parameters);
        yield return Row(Experiment, Key, item, "busbw", algbw * AllReduceMath.BusFactor(gpus.Count), "GB/s", rig.Source, parameters);
        if (timing.WrongElements is { } wrong)
        {
            yield return wrong == 0
                ? Row(Experiment, Key, item, "wrong", 0, "count", rig.Source, parameters)
                : new ResultRow(DateTimeOffset.UtcNow, Experiment, Key, null, null, "wrong", wrong, "count", RowStatus.Wrong, rig.Source, parameters,
                    $"{wrong} of {bytes / AllReduceRequest.ElementBytes} elements wrong");
        }
    }
}
