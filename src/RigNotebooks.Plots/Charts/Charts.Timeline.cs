using RigNotebooks.Plots.Spec;
using RigNotebooks.Results;

namespace RigNotebooks.Plots;

public static partial class Charts
{
    /// <summary>NVML clock-event-reason bits that mean the GPU was held back: software power cap (0x4), hardware slowdown
    /// (0x8), software thermal slowdown (0x20), hardware thermal slowdown (0x40), power-brake slowdown (0x80).</summary>
    public const long ThrottleReasonMask = 0x4 | 0x8 | 0x20 | 0x40 | 0x80;

    /// <summary>GDDR6X on the RTX 3090 starts throttling its memory clock around 110 °C (see REFERENCE.md).</summary>
    public const double VramThrottleC = 110;

    /// <summary>Telemetry over time (<c>telemetry</c> rows, <c>t_s</c> parameter): power, core and VRAM temperature and
    /// clocks per GPU, with the spans where any GPU reported a throttling clock-event reason shaded, and the 110 °C
    /// VRAM line.</summary>
    public static Figure Timeline(ChartData data, string title = "Power, temperature and clocks over time")
    {
        var rows = data.Rows.Where(r => r.Case == "telemetry" && ChartData.Param(r, "t_s") is not null && r.Gpu is not null).ToList();
        if (rows.Count == 0)
        {
            return Empty(title, "no telemetry rows", data);
        }

        var gpus = rows.Select(r => r.Gpu!.Value).Distinct().Order().ToList();
        List<TraceSpec> Series(string metric, string label, string? dash = null, bool legend = true) =>
            gpus.Select(g =>
            {
                var points = rows.Where(r => r.Gpu == g && r.Metric == metric).OrderBy(r => ChartData.Param(r, "t_s")).ToList();
                return new TraceSpec("lines", $"GPU {g} {label}", Objects(points.Select(r => ChartData.Param(r, "t_s"))), Objects(points.Select(Value)),
                    Color: Palette.Gpu(g), Dash: dash, LegendGroup: $"gpu{g}", ShowLegend: legend, Width: 1.8);
            }).Where(t => t.X.Count > 0).ToList();

        var spans = ThrottledSpans(rows);
        var shading = spans.Select(s => new ShapeSpec("rect", s.From, s.To, 0, 1, Palette.Throttled, YRef: "domain")).ToList();
        var power = Series("power", "power");
        var temps = Series("core_temp", "core").Concat(Series("vram_temp", "VRAM", "dash", legend: true)).ToList();
        var clocks = Series("sm_clock", "SM clock", legend: false).Concat(Series("mem_clock", "memory clock", "dot", legend: false)).ToList();
        if (spans.Count > 0)
        {
            power.Add(new TraceSpec("markers", "throttled (clock event reasons)", [null], [null], Color: Palette.Throttled, Symbol: "square", Size: 12));
        }

        var tempNotes = new List<AnnotationSpec> { new(1, VramThrottleC, $"VRAM throttles ≈{Fmt(VramThrottleC)} °C", XRef: "domain", Color: Palette.Danger, XAnchor: "right", YAnchor: "bottom") };
        var tempShapes = shading.Append(new ShapeSpec("line", 0, 1, VramThrottleC, VramThrottleC, Palette.Danger, XRef: "domain", Dash: "dash", Width: 1.5)).ToList();
        var xAxis = new AxisSpec("Time since start (s)");
        var (banner, subtitle) = data.Provenance(rows);
        var panels = new List<PanelSpec>
        {
            new("Board power", xAxis, new AxisSpec("Power (W)"), power, Shapes: shading),
            new("Temperatures (solid: core, dashed: VRAM)", xAxis, new AxisSpec("Temperature (°C)"), temps, Shapes: tempShapes, Annotations: tempNotes),
            new("Clocks (solid: SM, dotted: memory)", xAxis, new AxisSpec("Clock (MHz)"), clocks, Shapes: shading),
        };
        return new Figure(new FigureSpec(title, subtitle, banner, 3, 1, panels, Height: 880));
    }

    public static Figure Timeline(LoadedRun run) => Timeline(ChartData.From(run));

    /// <summary>Time spans in which at least one GPU reported a throttling reason. A sample's span runs to the next sample.</summary>
    public static IReadOnlyList<(double From, double To)> ThrottledSpans(IEnumerable<ResultRow> telemetry)
    {
        var reasons = telemetry.Where(r => r.Metric == "clock_event_reasons" && r.Status == RowStatus.Ok && ChartData.Param(r, "t_s") is not null)
            .Select(r => (T: ChartData.Param(r, "t_s")!.Value, r.Gpu, Throttled: ((long)r.Value & ThrottleReasonMask) != 0))
            .ToList();
        var spans = new List<(double From, double To)>();
        foreach (var gpu in reasons.GroupBy(r => r.Gpu))
        {
            var samples = gpu.OrderBy(s => s.T).ToList();
            for (var i = 0; i < samples.Count; i++)
            {
                if (!samples[i].Throttled)
                {
                    continue;
                }

                var end = i + 1 < samples.Count ? samples[i + 1].T : samples[i].T + (i > 0 ? samples[i].T - samples[i - 1].T : 1);
                spans.Add((samples[i].T, end));
            }
        }

        var merged = new List<(double From, double To)>();
        foreach (var span in spans.OrderBy(s => s.From))
        {
            if (merged.Count > 0 && span.From <= merged[^1].To)
            {
                merged[^1] = (merged[^1].From, Math.Max(merged[^1].To, span.To));
            }
            else
            {
                merged.Add(span);
            }
        }

        return merged;
    }
}
