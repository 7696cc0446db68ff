using RigNotebooks.Plots.Spec;
using RigNotebooks.Results;

namespace RigNotebooks.Plots;

public static partial class Charts
{
    /// <summary>Data-parallel scaling (<c>train-scaling</c> / <c>ddp</c>): tokens/s and efficiency against the number of
    /// GPUs, one line per P2P setting, with the ideal linear line. Hung or failed points are marked, not dropped.</summary>
    public static Figure Scaling(ChartData data, string title = "Data-parallel scaling")
    {
        var rows = data.Where("train-scaling", "ddp").ToList();
        var throughput = rows.Where(r => r.Metric == "tokens_per_s" && ChartData.Param(r, "gpus") is not null).ToList();
        if (throughput.Count == 0)
        {
            return Empty(title, "no train-scaling rows", data);
        }

        var gpuCounts = throughput.Select(r => (int)ChartData.Param(r, "gpus")!.Value).Distinct().Order().ToList();
        var x = Objects(gpuCounts.Select(g => g.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var modes = throughput.Select(r => r.Parameter("p2p") ?? "").Distinct().Order().ToList();
        var tpsTraces = new List<TraceSpec>();
        var effTraces = new List<TraceSpec>();
        var tpsNotes = new List<AnnotationSpec>();
        double? idealBase = null;
        int idealFrom = gpuCounts[0];
        foreach (var mode in modes)
        {
            var name = mode.Length == 0 ? "measured" : $"P2P {mode}";
            var color = Palette.P2P(mode);
            var dash = mode == "off" ? "dash" : null;
            var byGpus = gpuCounts.Select(g => throughput.FirstOrDefault(r => (r.Parameter("p2p") ?? "") == mode && (int)ChartData.Param(r, "gpus")!.Value == g)).ToList();
            var values = byGpus.Select(r => r is null ? null : Value(r)).ToList();
            tpsTraces.Add(new TraceSpec("lines+markers", name, x, Objects(values), Color: color, Dash: dash, LegendGroup: name,
                HoverTemplate: "%{x} GPUs: %{y:,.0f} tokens/s<extra>" + name + "</extra>"));
            for (var i = 0; i < byGpus.Count; i++)
            {
                if (byGpus[i] is { Status: not RowStatus.Ok } bad)
                {
                    tpsNotes.Add(new AnnotationSpec(x[i], 0, $"{name}: {StatusWord(bad.Status)}" + (bad.Note is null ? "" : $"<br>{Html.Text(bad.Note)}"),
                        Color: Palette.Danger, ShowArrow: true, YAnchor: "bottom"));
                }
            }

            var first = values.Select((v, i) => (v, i)).FirstOrDefault(p => p.v is not null);
            if (first.v is { } b && (idealBase is null || mode == "on"))
            {
                idealBase = b;
                idealFrom = gpuCounts[first.i];
            }

            var effRows = rows.Where(r => r.Metric == "efficiency" && (r.Parameter("p2p") ?? "") == mode).ToList();
            var eff = gpuCounts.Select(g =>
            {
                if (effRows.FirstOrDefault(r => (int?)ChartData.Param(r, "gpus") == g) is { } er)
                {
                    return Value(er);
                }

                var v = values[gpuCounts.IndexOf(g)];
                return v is null || first.v is null ? null : 100.0 * v / (first.v * g / gpuCounts[first.i]);
            }).ToList();
            effTraces.Add(new TraceSpec("lines+markers", name, x, Objects(eff), Color: color, Dash: dash, LegendGroup: name, ShowLegend: false,
                HoverTemplate: "%{x} GPUs: %{y:.0f}% of ideal<extra>" + name + "</extra>"));
        }

        if (idealBase is { } baseTps)
        {
            tpsTraces.Insert(0, new TraceSpec("lines", "ideal (linear from " + idealFrom + " GPU)", x,
                Objects(gpuCounts.Select(g => (object?)(baseTps * g / idealFrom))), Color: Palette.Ideal, Dash: "dot", Width: 1.5));
        }

        var (banner, subtitle) = data.Provenance(rows);
        var panels = new List<PanelSpec>
        {
            new("Throughput", new AxisSpec("GPUs (count)", "category"), new AxisSpec("Throughput (tokens/s)"), tpsTraces, Annotations: tpsNotes),
            new("Scaling efficiency", new AxisSpec("GPUs (count)", "category"), new AxisSpec("Efficiency (% of ideal)", Range: [0, 110]), effTraces,
                Shapes: [new ShapeSpec("line", 0, 1, 100, 100, Palette.Ideal, XRef: "domain", Dash: "dot", Width: 1)]),
        };
        return new Figure(new FigureSpec(title, subtitle, banner, 1, 2, panels, Height: 430));
    }

    public static Figure Scaling(params LoadedRun[] runs) => Scaling(ChartData.From(runs));
}
