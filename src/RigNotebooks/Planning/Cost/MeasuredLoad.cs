using System.Globalization;
using RigNotebooks.Errors;
using RigNotebooks.Model;
using RigNotebooks.Results;

namespace RigNotebooks.Planning.Cost;

/// <summary>The rig's power at load taken from a run's telemetry instead of the simulation: the mean board power of
/// each GPU over the run's ok <c>power</c> rows (W), summed, plus what the profile says the rest of the system draws.</summary>
public sealed record MeasuredLoad(double LoadW, DataSource Source, string Explanation)
{
    public static MeasuredLoad FromRun(LoadedRun run, double? restOfSystemW)
    {
        var rows = run.Rows.Where(r => r.Metric == "power" && r.Unit == "W" && r.Status == RowStatus.Ok && r.Gpu is not null && double.IsFinite(r.Value)).ToList();
        if (rows.Count == 0)
        {
            throw new RigInputException($"Run {run.Record.Id} has no GPU power rows (metric 'power', unit W, status ok) to take the rig's load from; use a run with telemetry, or give --load-w.");
        }

        var perGpu = rows.GroupBy(r => r.Gpu!.Value).OrderBy(g => g.Key).Select(g => (Gpu: g.Key, MeanW: g.Average(r => r.Value), Samples: g.Count())).ToList();
        var gpus = perGpu.Sum(g => g.MeanW);
        var text = string.Join(", ", perGpu.Select(g => string.Create(CultureInfo.InvariantCulture, $"GPU {g.Gpu} {g.MeanW:0} W ({g.Samples} samples)")));
        var source = run.Record.Source;
        var explanation = string.Create(CultureInfo.InvariantCulture,
            $"run {run.Record.Id} ({source.ToString().ToLowerInvariant()}): mean board power {text} = {gpus:0} W") +
            (restOfSystemW is { } rest ? string.Create(CultureInfo.InvariantCulture, $" + the rest of the system {rest:0} W (the profile's PSU other load)") : " (the rest of the system is unknown: the profile lists no PSUs; GPUs only)");
        return new MeasuredLoad(gpus + (restOfSystemW ?? 0), source, explanation);
    }
}
