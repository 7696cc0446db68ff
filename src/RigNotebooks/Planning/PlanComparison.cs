using RigNotebooks.Doctor;

namespace RigNotebooks.Planning;

/// <summary>One figure that differs enough between a rig and the baseline to matter.</summary>
public sealed record PlanDelta(string Metric, string? Model, double? Baseline, double? Candidate, string Text);

/// <summary>What decides between a rig and the baseline: the figures that differ, and the problems the baseline does not have.</summary>
public sealed record PlanVerdict(string Candidate, string Baseline, IReadOnlyList<PlanDelta> Deltas, IReadOnlyList<Finding> NewProblems, string Sentence);

/// <summary>
/// The deltas that decide between rigs: each later rig against the first. A figure decides when it is known on one
/// side only, or changes by at least 5 % (absolute thresholds for figures that can cross zero: 20 W of PSU margin,
/// 3 °C, any change in spare lanes); a different GPU count always tells its tokens/s. New warnings and errors of the
/// doctor's are listed after them.
/// </summary>
public static class PlanComparison
{
    public const double RelativeThreshold = 0.05;
    public const double WattsThreshold = 20;
    public const double DegreesThreshold = 3;

    /// <summary>The order in which deltas are told: scaling first, then links, budgets, heat and power.</summary>
    private static readonly string[] Importance =
    [
        "efficiency", "tokens_per_s", "allreduce_busbw", "peer_bandwidth", "host_to_device", "lanes_spare",
        "psu_headroom_min", "psu_transient_margin_min", "vram_temp_max", "core_temp_max", "power_total", "energy_per_token",
    ];

    public static IReadOnlyList<PlanVerdict> Compare(IReadOnlyList<RigPlan> plans) =>
        plans.Count < 2 ? [] : plans.Skip(1).Select(p => Verdict(plans[0], p)).ToList();

    public static PlanVerdict Verdict(RigPlan baseline, RigPlan candidate)
    {
        var deltas = new List<PlanDelta>();
        foreach (var metric in Importance)
        {
            foreach (var figure in candidate.Figures.Where(f => f.Metric == metric))
            {
                // A different GPU count always tells its throughput: a card that adds 3 % decides as much as one that adds 30 %.
                var headline = metric == "tokens_per_s" && baseline.Gpus != candidate.Gpus;
                if (baseline.Figure(metric, figure.Model) is { } before && (headline || Decides(before, figure)))
                {
                    deltas.Add(new PlanDelta(metric, figure.Model, before.Value, figure.Value, Text(baseline, before, candidate, figure)));
                }
            }
        }

        // New in kind: a finding code the candidate has more often than the baseline (titles name PSUs, which edits rename).
        var problems = new List<Finding>();
        foreach (var group in candidate.Findings.Where(f => f.Severity >= Severity.Warning).GroupBy(f => f.Code))
        {
            var before = baseline.Findings.Where(f => f.Code == group.Key).ToList();
            if (group.Count() > before.Count)
            {
                var titles = before.Select(f => f.Title).ToHashSet();
                var fresh = group.Where(f => !titles.Contains(f.Title)).ToList();
                problems.AddRange(fresh.Count > 0 ? fresh : group);
            }
        }

        var parts = deltas.Select(d => d.Text).Concat(problems.Select(p => $"{(p.Severity == Severity.Error ? "ERROR" : "warning")}: {p.Title}")).ToList();
        var sentence = $"{candidate.Label} vs {baseline.Label}: " + (parts.Count == 0 ? "no figure differs by 5 % or more, and no new problem" : string.Join("; ", parts));
        return new PlanVerdict(candidate.Label, baseline.Label, deltas, problems, sentence);
    }

    private static bool Decides(PlanFigure before, PlanFigure after)
    {
        if (before.Value is not { } a || after.Value is not { } b)
        {
            return before.Known != after.Known;
        }

        return after.Metric switch
        {
            "lanes_spare" => a != b,
            "psu_headroom_min" or "psu_transient_margin_min" => Math.Abs(b - a) >= WattsThreshold || Math.Sign(a) != Math.Sign(b),
            "core_temp_max" or "vram_temp_max" => Math.Abs(b - a) >= DegreesThreshold,
            _ => Math.Abs(b - a) >= RelativeThreshold * Math.Max(Math.Abs(a), 1e-12),
        };
    }

    private static string Text(RigPlan baseline, PlanFigure before, RigPlan candidate, PlanFigure after)
    {
        var model = after.Model is { } m ? $" ({m})" : string.Empty;
        var perGpus = after.Metric is "efficiency" or "tokens_per_s" or "allreduce_busbw" or "comm_exposed_time";
        var name = after.Metric switch
        {
            "efficiency" => "efficiency",
            "tokens_per_s" => "tokens/s",
            "allreduce_busbw" => "all-reduce busbw",
            "peer_bandwidth" => "slowest GPU->GPU",
            "host_to_device" => "host->device",
            "comm_exposed_time" => "exposed all-reduce",
            "lanes_spare" => "CPU lanes",
            "psu_headroom_min" => "tightest PSU headroom at caps",
            "psu_transient_margin_min" => "tightest PSU margin to transients",
            "vram_temp_max" => "hottest VRAM",
            "core_temp_max" => "hottest core",
            "power_total" => "rig power",
            "energy_per_token" => "energy per token",
            _ => after.Label,
        };
        var change = Change(before, after);
        if (perGpus && baseline.Gpus == candidate.Gpus)
        {
            return $"{candidate.Gpus}-GPU {name}{model} {after.Display} vs {before.Display}{change}";
        }

        return perGpus
            ? $"{name}{model} {after.Display} on {candidate.Gpus} GPUs vs {before.Display} on {baseline.Gpus}{change}"
            : $"{name} {after.Display} vs {before.Display}{change}";
    }

    /// <summary>" (-73 %)" for rates, power and energy; nothing for percentages, budgets and temperatures, where the two values say it.</summary>
    private static string Change(PlanFigure before, PlanFigure after)
    {
        if (before.Value is not { } a || after.Value is not { } b || a <= 0 || after.Unit is "%" or "C" or "count" || after.Metric.StartsWith("psu_", StringComparison.Ordinal))
        {
            return string.Empty;
        }

        var pct = (b - a) / a * 100;
        return $" ({(pct >= 0 ? "+" : string.Empty)}{pct.ToString("0", System.Globalization.CultureInfo.InvariantCulture)} %)";
    }
}
