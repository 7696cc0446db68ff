using RigNotebooks.Plots.Spec;
using RigNotebooks.Results;

namespace RigNotebooks.Plots;

public static partial class Charts
{
    /// <summary>The figures a plan compares by default: training throughput and efficiency, the rig's power at load and
    /// the hottest VRAM.</summary>
    public static readonly IReadOnlyList<string> PlanMetrics = ["tokens_per_s", "efficiency", "power_total", "vram_temp_max"];

    /// <summary>The what-if planner's rigs side by side (<c>plan</c> rows: case = the rig's label): one panel per metric,
    /// one bar per rig, in the run's order (the first is the baseline). A figure the models could not estimate is a gap
    /// labelled "unknown", never a zero. Training figures of the reference model only, when several models were planned.</summary>
    public static Figure Plan(ChartData data, IReadOnlyList<string>? metrics = null, string title = "What-if: rigs compared")
    {
        metrics ??= PlanMetrics;
        var rows = data.Where("plan").ToList();
        if (rows.Count == 0)
        {
            return Empty(title, "no plan rows", data);
        }

        var rigs = rows.Select(r => r.Case).Distinct().ToList();
        var model = rows.Select(r => r.Parameter("model")).FirstOrDefault(m => m is not null);
        var panels = new List<PanelSpec>();
        foreach (var metric in metrics)
        {
            var byRig = rigs.Select(rig => rows.FirstOrDefault(r => r.Case == rig && r.Metric == metric && (r.Parameter("model") is null || r.Parameter("model") == model))).ToList();
            var unit = byRig.FirstOrDefault(r => r is not null)?.Unit ?? "";
            var values = byRig.Select(r => r is null ? null : Value(r)).ToList();
            var notes = new List<AnnotationSpec>();
            for (var i = 0; i < rigs.Count; i++)
            {
                if (values[i] is null)
                {
                    notes.Add(new AnnotationSpec(rigs[i], 0, byRig[i] is null ? "not planned" : "unknown", Color: Palette.Danger, YAnchor: "bottom"));
                }
            }

            var label = PlanLabel(metric);
            var trace = new TraceSpec("bar", label, Objects(rigs), Objects(values), Text: values.Select(v => v is { } x ? Fmt(x, "#,0.#") : "").ToList(),
                Color: Palette.Series(panels.Count), ShowLegend: false, HoverTemplate: "%{x}: %{y:,.1f} " + unit + "<extra>" + label + "</extra>");
            panels.Add(new PanelSpec(label, new AxisSpec("", "category"), new AxisSpec($"{label} ({unit})"), [trace], Annotations: notes));
        }

        var (banner, subtitle) = data.Provenance(rows);
        var cols = panels.Count == 1 ? 1 : 2;
        var gridRows = (panels.Count + cols - 1) / cols;
        return new Figure(new FigureSpec(title, subtitle + (model is null ? "" : $" — training figures for {model}"), banner, gridRows, cols, panels, Height: 330 * gridRows));
    }

    public static Figure Plan(params LoadedRun[] runs) => Plan(ChartData.From(runs));

    private static string PlanLabel(string metric) => metric switch
    {
        "tokens_per_s" => "Training throughput",
        "efficiency" => "Scaling efficiency",
        "power_total" => "Power at load, whole rig",
        "power_gpus" => "Power at load, GPUs",
        "vram_temp_max" => "Hottest VRAM",
        "core_temp_max" => "Hottest GPU core",
        "psu_headroom_min" => "PSU headroom (tightest PSU)",
        "peer_bandwidth" => "GPU→GPU, slowest pair",
        "allreduce_busbw" => "All-reduce bus bandwidth",
        "host_to_device" => "Host→GPU (slowest GPU)",
        "lanes_spare" => "CPU lanes spare",
        "energy_per_token" => "Energy per token",
        _ => metric,
    };
}
