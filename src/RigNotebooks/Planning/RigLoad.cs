using System.Globalization;
using RigNotebooks.Doctor.Budgets;
using RigNotebooks.Errors;
using RigNotebooks.Simulation;
using RigNotebooks.Simulation.Physics;

namespace RigNotebooks.Planning;

/// <summary>What each GPU draws and how hot it settles under a training load at its power cap.</summary>
/// <param name="VramThrottleC">The catalog's memory throttle point; null when unknown.</param>
public sealed record GpuLoad(int Gpu, DvfsPoint Dvfs, ThermalState Steady, double? VramThrottleC);

/// <summary>One power supply under the simulated training load: the doctor's budget (at the caps) and the simulated draw.</summary>
public sealed record PsuLoad(PsuBudget Budget, double DrawW)
{
    public double DrawFraction => DrawW / Budget.Psu.RatingW;
}

/// <summary>
/// The rig under a training load: each GPU at the clock its cap allows (<see cref="DvfsModel"/>, with
/// <see cref="DataParallelModel.MemoryBoundFraction"/> of the step memory-bound), its steady temperatures
/// (<see cref="ThermalModel"/>), and what each PSU carries. GPUs are taken busy for the whole step: time spent waiting
/// on an exposed all-reduce draws less, so the power figures are an upper bound for a rig that scales poorly.
/// </summary>
public sealed record RigLoad(IReadOnlyList<GpuLoad> Gpus, IReadOnlyList<PsuLoad> Psus, double? RestOfSystemW)
{
    public double GpusW => Gpus.Sum(g => g.Dvfs.PowerW);

    /// <summary>The whole rig: GPUs plus what the PSUs feed besides them; null when the profile lists no PSUs.</summary>
    public double? TotalW => RestOfSystemW is { } rest ? GpusW + rest : null;

    public static RigLoad Of(SimulatedRig rig)
    {
        var description = rig.Describe();
        var thermal = new ThermalModel(description);
        var gpus = description.Gpus.Select(g =>
        {
            var spec = rig.ModelOf(g.Index);
            var dvfs = new DvfsModel(spec).At(g.PowerLimits.CurrentW, DataParallelModel.MemoryBoundFraction);
            return new GpuLoad(g.Index, dvfs, thermal.Steady(g.Index, dvfs.PowerW), spec.VramThrottleC);
        }).ToList();
        var psus = PsuBudget.Of(description, rig.Data)
            .Select(b => new PsuLoad(b, b.Gpus.Sum(g => gpus[g.Index].Dvfs.PowerW) + b.Psu.OtherLoadW))
            .ToList();
        return new RigLoad(gpus, psus, description.Psus.Count == 0 ? null : description.Psus.Sum(p => p.OtherLoadW));
    }

    /// <summary>A unit that cannot carry its GPUs even at their lowest settable limit (plus the rest it feeds) cannot run
    /// the rig at all: an impossible plan (an input error naming the unit and the sum), not a finding.</summary>
    public void EnsurePowerable(string label)
    {
        foreach (var psu in Psus.Where(p => p.Budget.Psu.RatingW < p.Budget.MinimumLoadW))
        {
            var b = psu.Budget;
            throw new RigInputException(
                $"{label}: {b.Psu.Name}{(b.Psu.Name.Contains($"{PsuBudget.W(b.Psu.RatingW)} W", StringComparison.Ordinal) ? string.Empty : $" ({PsuBudget.W(b.Psu.RatingW)} W)")} is too small to run its GPUs at any power cap: " +
                $"{b.GpuList} at their lowest limit ({string.Join(" + ", b.Gpus.Select(g => PsuBudget.W(g.PowerLimits.MinW)))} W)" +
                (b.Psu.OtherLoadW > 0 ? $" + {PsuBudget.W(b.Psu.OtherLoadW)} W other load" : string.Empty) +
                $" = {PsuBudget.W(b.MinimumLoadW)} W. Give it a larger rating (--set psu=...) or feed fewer GPUs from it.");
        }
    }

    public string PowerExplanation => string.Join("; ", Gpus.Select(g => string.Create(CultureInfo.InvariantCulture,
        $"GPU {g.Gpu}: cap {g.Dvfs.CapW:0} W -> {g.Dvfs.ClockFraction:P0} clock ({g.Dvfs.SmClockMHz:0} MHz), {g.Dvfs.PowerW:0} W"))) +
        " (DVFS model; GPUs busy for the whole step, an upper bound)";
}
