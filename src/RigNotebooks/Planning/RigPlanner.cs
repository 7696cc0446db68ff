using System.Globalization;
using RigNotebooks.Data;
using RigNotebooks.Doctor;
using RigNotebooks.Doctor.Budgets;
using RigNotebooks.Simulation.Physics;

namespace RigNotebooks.Planning;

/// <summary>
/// Puts a rig that might exist through the simulated models — <see cref="InterconnectModel"/> (host and peer copies,
/// ring all-reduce), <see cref="DataParallelModel"/> (DDP tokens/s and efficiency), <see cref="DvfsModel"/> (power
/// under the cap), <see cref="ThermalModel"/> (steady temperatures) — and the doctor's lane and PSU budgets. Every
/// figure carries its derivation; what the models cannot estimate is unknown, never invented.
/// </summary>
public sealed class RigPlanner(ReferenceData data)
{
    public static RigPlanner Default { get; } = new(ReferenceData.Default);

    public RigPlan Plan(PlanCandidate candidate, PlanOptions options)
    {
        var rig = candidate.Rig;
        var description = rig.Describe();
        var load = RigLoad.Of(rig);
        load.EnsurePowerable(candidate.Label);

        var interconnect = new InterconnectModel(rig);
        var n = description.Gpus.Count;
        var all = Enumerable.Range(0, n).ToList();
        var figures = new List<PlanFigure>
        {
            PlanFigure.Of("gpus", "GPUs", "count", n, string.Join("; ", description.Gpus.Select(g => $"GPU {g.Index}: {g.Name}, {g.Link}, {g.PowerLimits.CurrentW:0} W limit")), Better.Neither),
            Lanes(LaneBudget.Of(description, data)),
            HostToDevice(interconnect, description),
            PeerBandwidth(interconnect, description),
            AllReduce(interconnect, all, options.AllReduceBytes),
        };

        foreach (var model in options.Models)
        {
            figures.AddRange(Training(TrainingEstimate.Of(rig, model, options.MicroBatchSequences), load));
        }

        figures.AddRange(Power(load));
        figures.AddRange(Thermals(load));

        var findings = RigDoctor.Standard.Examine(new DoctorInput(description, new Dictionary<string, string>(), data));
        var psus = load.Psus.Select(p => new PsuPlan(
            p.Budget.Psu.Name,
            p.Budget.Psu.RatingW,
            p.Budget.Gpus.Select(g => g.Index).ToList(),
            Math.Round(p.DrawW, 1),
            p.Budget.LoadAtCapsW,
            p.Budget.HeadroomW,
            p.Budget.Arithmetic,
            p.Budget.TransientLoadW,
            p.Budget.MinimumLoadW,
            p.Budget.Overloaded ? "overloaded" : p.Budget.TransientRisk ? "transient risk" : "ok")).ToList();

        return new RigPlan(candidate.Label, candidate.Spec, candidate.Edits, candidate.EditNotes, Summary(description), n, figures, psus, findings);
    }

    private static PlanFigure Lanes(LaneBudget budget)
    {
        const string label = "CPU lanes used of usable";
        if (budget.UsableLanes is not { } usable)
        {
            return PlanFigure.Unknown("lanes_spare", label, "count", budget.Evidence, Better.Higher);
        }

        var spare = usable - budget.NeededLanes;
        var display = spare >= 0 ? $"{budget.NeededLanes} of {usable} ({spare} spare)" : $"{budget.NeededLanes} of {usable} ({-spare} short)";
        return PlanFigure.Of("lanes_spare", label, "count", spare, budget.Evidence, Better.Higher, display: display);
    }

    private static PlanFigure HostToDevice(InterconnectModel interconnect, Model.RigDescription description)
    {
        var slowest = description.Gpus.MinBy(g => interconnect.HostToDeviceGBps(g.Index, pinned: true))!;
        var rate = interconnect.HostToDeviceGBps(slowest.Index, pinned: true);
        var link = slowest.Link;
        return PlanFigure.Of("host_to_device", "host->device, pinned (slowest GPU)", "GB/s", rate,
            F($"GPU {slowest.Index} ({link.Current}): {link.CurrentRawGBps:0.00} GB/s raw x {LinkEfficiency.Achieved(link.CurrentGen):0.000} achieved for Gen{link.CurrentGen} copies = {rate:0.00} GB/s (slowest of {description.Gpus.Count})"),
            Better.Higher);
    }

    private static PlanFigure PeerBandwidth(InterconnectModel interconnect, Model.RigDescription description)
    {
        const string label = "GPU->GPU, slowest pair";
        var pairs = description.PeerPairs.Select(p => (Pair: p, Path: interconnect.Peer(p.From, p.To, p.P2P.Supported, bidirectional: false))).ToList();
        if (pairs.Count == 0)
        {
            return PlanFigure.Unknown("peer_bandwidth", label, "GB/s", "one GPU: no peer transfers", Better.Higher);
        }

        if (pairs.FirstOrDefault(p => p.Path.Hangs) is { Path: not null } hung)
        {
            return PlanFigure.Unknown("peer_bandwidth", label, "GB/s", $"peer transfers hang on this rig: GPU {hung.Pair.From}->{hung.Pair.To}: {hung.Path.Explanation}", Better.Higher);
        }

        var slowest = pairs.Where(p => p.Path.Available).MinBy(p => p.Path.BandwidthGBps);
        return PlanFigure.Of("peer_bandwidth", label, "GB/s", slowest.Path.BandwidthGBps,
            $"GPU {slowest.Pair.From}->{slowest.Pair.To} ({(slowest.Pair.P2P.Supported ? "P2P on" : "no peer access: staged")}): {slowest.Path.Explanation}" +
            (slowest.Path.Corrupts ? " — and the copies arrive corrupt on this rig" : string.Empty),
            Better.Higher);
    }

    private static PlanFigure AllReduce(InterconnectModel interconnect, IReadOnlyList<int> gpus, long bytes)
    {
        var label = F($"all-reduce busbw, {bytes / (double)(1 << 20):0} MiB");
        if (gpus.Count < 2)
        {
            return PlanFigure.Unknown("allreduce_busbw", label, "GB/s", "one GPU: nothing to all-reduce", Better.Higher);
        }

        var estimate = interconnect.AllReduce(gpus, bytes, p2p: true);
        return estimate.Hangs
            ? PlanFigure.Unknown("allreduce_busbw", label, "GB/s", $"the all-reduce hangs on this rig: {estimate.Explanation}", Better.Higher)
            : PlanFigure.Of("allreduce_busbw", label, "GB/s", estimate.BusBwGBps, estimate.Explanation, Better.Higher);
    }

    private static IEnumerable<PlanFigure> Training(TrainingEstimate t, RigLoad load)
    {
        var m = t.Model.Name;
        if (t.Step is not { } step)
        {
            var why = t.WhyUnknown ?? "unknown";
            yield return PlanFigure.Unknown("tokens_per_s", $"DDP tokens/s, {m}", "tokens/s", why, Better.Higher, m);
            yield return PlanFigure.Unknown("efficiency", $"DDP efficiency vs 1 GPU, {m}", "%", why, Better.Higher, m);
            yield return PlanFigure.Unknown("comm_exposed_time", $"exposed all-reduce per step, {m}", "s", why, Better.Lower, m);
            yield return PlanFigure.Unknown("energy_per_token", $"energy per token, {m}", "J", why, Better.Lower, m);
            yield break;
        }

        yield return PlanFigure.Of("tokens_per_s", $"DDP tokens/s, {m}", "tokens/s", step.TokensPerSecond, t.Explanation, Better.Higher, m);
        yield return PlanFigure.Of("efficiency", $"DDP efficiency vs 1 GPU, {m}", "%", t.Efficiency!.Value * 100, t.Explanation, Better.Higher, m);
        yield return PlanFigure.Of("comm_exposed_time", $"exposed all-reduce per step, {m}", "s", step.ExposedCommunicationTimeS, step.Explanation, Better.Lower, m);
        if (load.TotalW is { } total)
        {
            yield return PlanFigure.Of("energy_per_token", $"energy per token, {m}", "J", total / step.TokensPerSecond,
                F($"rig power at load {total:0} W / {step.TokensPerSecond:0} tokens/s"), Better.Lower, m);
        }
        else
        {
            yield return PlanFigure.Unknown("energy_per_token", $"energy per token, {m}", "J", "the profile lists no PSUs, so the rest of the system's draw is unknown", Better.Lower, m);
        }
    }

    private static IEnumerable<PlanFigure> Power(RigLoad load)
    {
        yield return PlanFigure.Of("power_gpus", "GPU power at training load", "W", load.GpusW, load.PowerExplanation, Better.Lower);
        yield return load.TotalW is { } total
            ? PlanFigure.Of("power_total", "rig power at training load", "W", total, F($"GPUs {load.GpusW:0} W + the rest of the system {load.RestOfSystemW:0} W (the PSUs' other load in the profile)"), Better.Lower)
            : PlanFigure.Unknown("power_total", "rig power at training load", "W", "the profile lists no PSUs, so the rest of the system's draw is unknown", Better.Lower);

        if (load.Psus.Count == 0)
        {
            yield return PlanFigure.Unknown("psu_headroom_min", "PSU headroom at caps (tightest unit)", "W", "the profile lists no PSUs", Better.Higher);
            yield return PlanFigure.Unknown("psu_transient_margin_min", "PSU margin to transients (tightest unit)", "W", "the profile lists no PSUs", Better.Higher);
            yield break;
        }

        var tightest = load.Psus.MinBy(p => p.Budget.HeadroomW)!;
        var unfed = UnfedGpus(load);
        yield return PlanFigure.Of("psu_headroom_min", "PSU headroom at caps (tightest unit)", "W", tightest.Budget.HeadroomW,
            string.Join("; ", load.Psus.Select(p => $"{p.Budget.Psu.Name} feeds {p.Budget.GpuList}: {p.Budget.Arithmetic}")) + unfed,
            Better.Higher, display: $"{PlanFigure.Format(tightest.Budget.HeadroomW, "W")} ({Short(tightest.Budget.Psu.Name)})");

        if (load.Psus.Any(p => p.Budget.TransientLoadW is null))
        {
            yield return PlanFigure.Unknown("psu_transient_margin_min", "PSU margin to transients (tightest unit)", "W",
                "a GPU's transient peak is not in data/gpus.json (or a unit feeds no GPU)", Better.Higher);
        }
        else
        {
            var worst = load.Psus.MinBy(p => p.Budget.Psu.RatingW - p.Budget.TransientLoadW!.Value)!;
            var margin = worst.Budget.Psu.RatingW - worst.Budget.TransientLoadW!.Value;
            yield return PlanFigure.Of("psu_transient_margin_min", "PSU margin to transients (tightest unit)", "W", margin,
                string.Join("; ", load.Psus.Select(p => $"{p.Budget.Psu.Name}: {PsuBudget.W(p.Budget.Psu.RatingW)} W - ({string.Join(" + ", p.Budget.TransientPeaksW.Select(x => PsuBudget.W(x!.Value)))} W GPU spikes" +
                                                        (p.Budget.Psu.OtherLoadW > 0 ? $" + {PsuBudget.W(p.Budget.Psu.OtherLoadW)} W other" : string.Empty) + $") = {PsuBudget.W(p.Budget.Psu.RatingW - p.Budget.TransientLoadW!.Value)} W")) +
                " (transient peaks from data/gpus.json; a power limit caps the average, not the millisecond spikes)",
                Better.Higher, display: $"{PlanFigure.Format(margin, "W")} ({Short(worst.Budget.Psu.Name)})");
        }
    }

    private static string UnfedGpus(RigLoad load)
    {
        var fed = load.Psus.SelectMany(p => p.Budget.Gpus.Select(g => g.Index)).ToHashSet();
        var unfed = load.Gpus.Where(g => !fed.Contains(g.Gpu)).Select(g => g.Gpu).ToList();
        return unfed.Count == 0 ? string.Empty : $"; GPU {string.Join(", ", unfed)} on no PSU in the profile (not counted)";
    }

    private static IEnumerable<PlanFigure> Thermals(RigLoad load)
    {
        var core = load.Gpus.MaxBy(g => g.Steady.CoreC)!;
        var vram = load.Gpus.MaxBy(g => g.Steady.VramC)!;
        string Each(Func<GpuLoad, double> pick) => string.Join(", ", load.Gpus.Select(g => F($"GPU {g.Gpu} {pick(g):0} °C")));
        yield return PlanFigure.Of("core_temp_max", "hottest GPU core, steady", "C", core.Steady.CoreC,
            F($"GPU {core.Gpu} at {core.Dvfs.PowerW:0} W (thermal model: ambient + R x power, R growing with airflow position): {Each(g => g.Steady.CoreC)}"), Better.Lower,
            display: F($"{core.Steady.CoreC:0} °C (GPU {core.Gpu})"));
        yield return PlanFigure.Of("vram_temp_max", "hottest GPU VRAM, steady", "C", vram.Steady.VramC,
            F($"GPU {vram.Gpu} at {vram.Dvfs.PowerW:0} W: {Each(g => g.Steady.VramC)}"), Better.Lower,
            display: F($"{vram.Steady.VramC:0} °C (GPU {vram.Gpu})"));
        var margins = load.Gpus.Where(g => g.VramThrottleC is not null).Select(g => (g.Gpu, Margin: g.VramThrottleC!.Value - g.Steady.VramC)).ToList();
        yield return margins.Count < load.Gpus.Count
            ? PlanFigure.Unknown("vram_margin", "VRAM margin to throttle", "C", "a GPU's VRAM throttle point is not in data/gpus.json", Better.Higher)
            : PlanFigure.Of("vram_margin", "VRAM margin to throttle", "C", margins.Min(m => m.Margin),
                string.Join(", ", margins.Select(m => F($"GPU {m.Gpu}: {m.Margin:0} °C"))) + " (throttle point from data/gpus.json)", Better.Higher);
    }

    private static string Summary(Model.RigDescription d)
    {
        var models = d.Gpus.GroupBy(g => g.Name).Select(g => $"{g.Count()}x {g.Key.Replace("NVIDIA GeForce ", string.Empty, StringComparison.Ordinal).Replace("NVIDIA ", string.Empty, StringComparison.Ordinal)}");
        var caps = d.Gpus.Select(g => g.PowerLimits.CurrentW).Distinct().ToList();
        var links = string.Join(", ", d.Gpus.Select(g => g.Link.Current));
        var psus = d.Psus.Count == 0 ? "no PSUs listed" : $"{d.Psus.Count} PSU(s): {string.Join(" + ", d.Psus.Select(p => PsuBudget.W(p.RatingW)))} W";
        return $"{string.Join(" + ", models)} at {string.Join("/", caps.Select(c => PsuBudget.W(c)))} W; {links}; {d.Platform.CpuModel}; {psus}";
    }

    private static string Short(string psuName)
    {
        var colon = psuName.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? psuName[..colon] : psuName;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
