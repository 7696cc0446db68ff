using RigNotebooks.Plots.Spec;
using RigNotebooks.Results;

namespace RigNotebooks.Plots;

public static partial class Charts
{
    /// <summary>The power-cap sweep (<c>power-sweep</c> / <c>cap</c>): throughput, power and energy per unit of work against
    /// the cap, the rig total (gpu empty) as the main line, per-GPU power where present, and the recommended cap marked.
    /// The recommended cap is <paramref name="recommendedCapW"/>, else the run summary's <c>recommendedCapW</c>.</summary>
    public static Figure PowerSweep(ChartData data, double? recommendedCapW = null, string title = "Power-cap sweep")
    {
        var rows = data.Where("power-sweep", "cap").Where(r => ChartData.Param(r, "cap_w") is not null).ToList();
        if (rows.Count == 0)
        {
            return Empty(title, "no power-sweep rows", data);
        }

        recommendedCapW ??= ChartData.Number(data.Summary.GetValueOrDefault("recommendedCapW"));
        var caps = rows.Select(r => ChartData.Param(r, "cap_w")!.Value).Distinct().Order().ToList();
        var x = Objects(caps);
        var total = rows.Where(r => r.Gpu is null).ToList();
        var perGpu = rows.Where(r => r.Gpu is not null).ToList();

        double? At(string metric, double cap, IEnumerable<ResultRow> source) =>
            source.Where(r => r.Metric == metric && ChartData.Param(r, "cap_w") == cap).Select(Value).FirstOrDefault(v => v is not null);

        double? Total(string metric, double cap)
        {
            if (At(metric, cap, total) is { } v)
            {
                return v;
            }

            var parts = perGpu.Where(r => r.Metric == metric && ChartData.Param(r, "cap_w") == cap).Select(Value).ToList();
            return parts.Count == 0 || parts.Any(p => p is null) ? null : parts.Sum();
        }

        var throughput = caps.Select(c => Total("throughput", c)).ToList();
        var power = caps.Select(c => Total("power", c)).ToList();
        var energy = caps.Select((c, i) => At("energy_per_unit", c, total)
            ?? (power[i] is { } p && throughput[i] is { } t && t > 0 ? p / t : null)).ToList();
        var unitRow = rows.FirstOrDefault(r => r.Metric == "throughput");
        var unit = unitRow?.Unit ?? "units/s";
        var work = unit.EndsWith("/s", StringComparison.Ordinal) ? unit[..^2] : "unit";
        var rigLabel = total.Count > 0 ? "rig total" : "sum of GPUs";

        var powerTraces = new List<TraceSpec> { new("lines+markers", $"power ({rigLabel})", x, Objects(power), Color: "#333333", Width: 3) };
        foreach (var gpu in perGpu.Where(r => r.Metric == "power").Select(r => r.Gpu!.Value).Distinct().Order())
        {
            powerTraces.Add(new TraceSpec("lines+markers", $"GPU {gpu} power", x, Objects(caps.Select(c => At("power", c, perGpu.Where(r => r.Gpu == gpu)))),
                Color: Palette.Gpu(gpu), Width: 1.5, Size: 5));
        }

        var marks = new List<ShapeSpec>();
        var notes = new List<AnnotationSpec>();
        if (recommendedCapW is { } rec)
        {
            marks.Add(new ShapeSpec("line", rec, rec, 0, 1, Palette.Marker, YRef: "domain", Dash: "dash", Width: 2));
            notes.Add(new AnnotationSpec(rec, 0.97, $" recommended cap: {Fmt(rec)} W", YRef: "domain", Color: Palette.Marker, XAnchor: "left", YAnchor: "top", BgColor: "rgba(255,255,255,0.8)"));
        }

        var xAxis = new AxisSpec("Power cap per GPU (W)");
        var (banner, subtitle) = data.Provenance(rows);
        var panels = new List<PanelSpec>
        {
            new($"Throughput ({rigLabel})", xAxis, new AxisSpec($"Throughput ({unit})"),
                [new TraceSpec("lines+markers", "throughput", x, Objects(throughput), Color: Palette.P2POn, Width: 3)], Shapes: marks, Annotations: notes),
            new("Power draw", xAxis, new AxisSpec("Power (W)"), powerTraces, Shapes: marks),
            new("Energy per unit of work (lower is better)", xAxis, new AxisSpec($"Energy (J per {work})"),
                [new TraceSpec("lines+markers", "energy per " + work, x, Objects(energy), Color: "#9467bd", Width: 3)], Shapes: marks),
        };
        return new Figure(new FigureSpec(title, subtitle, banner, 3, 1, panels, Height: 820));
    }

    public static Figure PowerSweep(LoadedRun run, double? recommendedCapW = null) => PowerSweep(ChartData.From(run), recommendedCapW);
}
