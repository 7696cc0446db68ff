using System.Globalization;
using RigNotebooks.Model;

namespace RigNotebooks.Power;

/// <summary>One GPU put back to its original limit (or why it could not be).</summary>
public sealed record GpuRestore(int Gpu, string Uuid, double? FoundW, double OriginalW, bool Changed, string? Error)
{
    public bool Ok => Error is null;
}

/// <summary>The outcome of restoring the journalled limits.</summary>
public sealed record PowerRestoreReport(IReadOnlyList<GpuRestore> Gpus)
{
    public bool AllRestored => Gpus.All(g => g.Ok);

    public string Describe() => string.Join("; ", Gpus.Select(g => g.Error is { } e
        ? $"GPU {g.Gpu}: NOT restored to {F(g.OriginalW)} W ({e})"
        : g.Changed ? $"GPU {g.Gpu}: {F(g.FoundW ?? double.NaN)} W -> {F(g.OriginalW)} W" : $"GPU {g.Gpu}: already at {F(g.OriginalW)} W"));

    private static string F(double w) => w.ToString("0.#", CultureInfo.InvariantCulture);
}

/// <summary>Puts the limits in a journal back: matches GPUs by UUID (indices can change across reboots), sets each
/// one that differs, and reads it back. Every GPU is attempted even when one fails.</summary>
public static class PowerRestore
{
    /// <summary>Limits this close are taken as equal (NVML stores milliwatts; boards round).</summary>
    public const double ToleranceW = 0.5;

    public static PowerRestoreReport Restore(IPowerLimitControl control, RigDescription rig, PowerJournal journal)
    {
        var results = new List<GpuRestore>();
        foreach (var entry in journal.Gpus)
        {
            var gpu = rig.Gpus.FirstOrDefault(g => string.Equals(g.Uuid, entry.Uuid, StringComparison.OrdinalIgnoreCase))?.Index;
            if (gpu is not { } index || index >= control.GpuCount)
            {
                results.Add(new GpuRestore(entry.Index, entry.Uuid, null, entry.OriginalLimitW, false,
                    $"GPU {entry.Uuid} is not on this rig now (was index {entry.Index}); a reboot or driver reload resets limits to the default anyway"));
                continue;
            }

            double? found = null;
            try
            {
                found = control.GetLimits(index).CurrentW;
                if (Math.Abs(found.Value - entry.OriginalLimitW) <= ToleranceW)
                {
                    results.Add(new GpuRestore(index, entry.Uuid, found, entry.OriginalLimitW, false, null));
                    continue;
                }

                control.SetLimitW(index, entry.OriginalLimitW);
                var after = control.GetLimits(index).CurrentW;
                results.Add(Math.Abs(after - entry.OriginalLimitW) <= ToleranceW
                    ? new GpuRestore(index, entry.Uuid, found, entry.OriginalLimitW, true, null)
                    : new GpuRestore(index, entry.Uuid, found, entry.OriginalLimitW, true, $"set, but reads back {after} W"));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                results.Add(new GpuRestore(index, entry.Uuid, found, entry.OriginalLimitW, false, ex.Message));
            }
        }

        return new PowerRestoreReport(results);
    }
}
