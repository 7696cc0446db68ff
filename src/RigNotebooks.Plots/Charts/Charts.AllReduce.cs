using RigNotebooks.Plots.Spec;
using RigNotebooks.Results;

namespace RigNotebooks.Plots;

public static partial class Charts
{
    /// <summary>All-reduce bus bandwidth against message size (<c>allreduce</c> rows), one line per GPU count, P2P setting and
    /// in-place mode, on a log size axis. Points whose data check failed, or that hung, are marked in red.</summary>
    public static Figure AllReduce(ChartData data, string title = "All-reduce bus bandwidth")
    {
        var rows = data.Where("allreduce").Where(r => ChartData.Param(r, "size_bytes") is not null).ToList();
        var busbw = rows.Where(r => r.Metric == "busbw").ToList();
        if (busbw.Count == 0)
        {
            return Empty(title, "no all-reduce rows", data);
        }

        var traces = new List<TraceSpec>();
        var notes = new List<AnnotationSpec>();
        var groups = busbw.GroupBy(r => (Gpus: r.Parameter("gpus") ?? "", P2P: r.Parameter("p2p") ?? "", InPlace: r.Parameter("inplace") ?? ""))
            .OrderBy(g => g.Key.Gpus, StringComparer.Ordinal).ThenBy(g => g.Key.P2P, StringComparer.Ordinal).ThenBy(g => g.Key.InPlace, StringComparer.Ordinal).ToList();
        var badX = new List<object?>();
        var badY = new List<object?>();
        var badText = new List<string>();
        for (var i = 0; i < groups.Count; i++)
        {
            var (gpus, p2p, inplace) = groups[i].Key;
            var points = groups[i].OrderBy(r => ChartData.Param(r, "size_bytes")).ToList();
            var name = string.Join(", ", new[] { gpus.Length > 0 ? $"{gpus} GPUs" : null, p2p.Length > 0 ? $"P2P {p2p}" : null, inplace == "true" ? "in-place" : inplace == "false" ? "out-of-place" : null }.OfType<string>());
            traces.Add(new TraceSpec("lines+markers", name.Length == 0 ? "busbw" : name, Objects(points.Select(r => ChartData.Param(r, "size_bytes"))), Objects(points.Select(Value)),
                Color: p2p.Length > 0 ? Palette.P2P(p2p) : Palette.Series(i), Dash: inplace == "true" ? "dot" : null,
                HoverTemplate: "%{x:.3s}B: %{y:.2f} GB/s<extra>" + name + "</extra>"));
            foreach (var r in points)
            {
                var size = ChartData.Param(r, "size_bytes");
                var wrong = rows.Any(w => w.Metric == "wrong" && w.Value > 0 && ChartData.Param(w, "size_bytes") == size && (w.Parameter("gpus") ?? "") == gpus
                    && (w.Parameter("p2p") ?? "") == p2p && (w.Parameter("inplace") ?? "") == inplace);
                if (r.Status != RowStatus.Ok || wrong)
                {
                    badX.Add(size);
                    badY.Add(Value(r) ?? 0);
                    badText.Add(wrong ? "WRONG" : StatusWord(r.Status));
                }
            }
        }

        if (badX.Count > 0)
        {
            traces.Add(new TraceSpec("markers+text", "data check failed / hung", badX, badY, Text: badText, Color: Palette.Danger, Symbol: "x", Size: 12));
        }

        var (banner, subtitle) = data.Provenance(rows);
        var panel = new PanelSpec(null, new AxisSpec("Message size (bytes, log scale)", "log"), new AxisSpec("Bus bandwidth (GB/s)"), traces, Annotations: notes);
        return new Figure(new FigureSpec(title, subtitle, banner, 1, 1, [panel], Height: 450));
    }

    public static Figure AllReduce(params LoadedRun[] runs) => AllReduce(ChartData.From(runs));
}
