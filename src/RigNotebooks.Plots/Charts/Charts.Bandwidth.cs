using RigNotebooks.Plots.Spec;
using RigNotebooks.Results;

namespace RigNotebooks.Plots;

public static partial class Charts
{
    private static readonly (string Case, string Metric, string Label, string Unit, bool LowerIsBetter)[] PeerMatrices =
    [
        ("peer_unidirectional", "bandwidth", "Unidirectional bandwidth", "GB/s", false),
        ("peer_bidirectional", "bandwidth", "Bidirectional bandwidth", "GB/s", false),
        ("peer_latency", "latency", "Latency", "µs", true),
    ];

    /// <summary>GPU-to-GPU matrices (<c>bandwidth</c> rows): unidirectional and bidirectional bandwidth and latency, rows =
    /// source GPU, columns = destination, P2P on and off side by side with shared colour scales. Where a pair was
    /// measured at several sizes the largest size is shown. Waived cells stay blank; hung, wrong and failed cells are
    /// marked in red; the diagonal is blank.</summary>
    public static Figure BandwidthMatrices(ChartData data, string title = "GPU-to-GPU bandwidth and latency")
    {
        var rows = data.Where("bandwidth").Where(r => r.Gpu is not null && r.Peer is not null && PeerMatrices.Any(m => m.Case == r.Case && m.Metric == r.Metric)).ToList();
        if (rows.Count == 0)
        {
            return Empty(title, "no peer bandwidth rows", data);
        }

        var n = rows.Max(r => Math.Max(r.Gpu!.Value, r.Peer!.Value)) + 1;
        var labels = Objects(Enumerable.Range(0, n).Select(i => $"GPU {i}"));
        var modes = rows.Select(r => r.Parameter("p2p") ?? "").Distinct().OrderBy(m => m == "on" ? 0 : m == "off" ? 1 : 2).ToList();
        var matrices = PeerMatrices.Where(m => rows.Any(r => r.Case == m.Case)).ToList();
        var panels = new List<PanelSpec>();
        foreach (var m in matrices)
        {
            var mine = rows.Where(r => r.Case == m.Case && r.Metric == m.Metric).ToList();
            var values = mine.Select(Value).OfType<double>().ToList();
            double? zMax = values.Count > 0 ? values.Max() : null;
            for (var c = 0; c < modes.Count; c++)
            {
                var mode = modes[c];
                var z = new List<IReadOnlyList<double?>>();
                var notes = new List<AnnotationSpec>();
                for (var src = 0; src < n; src++)
                {
                    var line = new double?[n];
                    for (var dst = 0; dst < n; dst++)
                    {
                        var cell = mine.Where(r => r.Gpu == src && r.Peer == dst && (r.Parameter("p2p") ?? "") == mode)
                            .OrderByDescending(r => ChartData.Param(r, "size_bytes") ?? 0).ThenBy(r => r.Status == RowStatus.Ok ? 1 : 0).FirstOrDefault();
                        if (cell is null || src == dst)
                        {
                            continue;
                        }

                        line[dst] = Value(cell);
                        if (cell.Status is RowStatus.Hung or RowStatus.Wrong or RowStatus.Failed)
                        {
                            notes.Add(new AnnotationSpec(labels[dst], labels[src], "<b>" + StatusWord(cell.Status) + "</b>", Color: Palette.Danger, Size: 13, BgColor: "rgba(255,255,255,0.85)"));
                        }
                        else if (line[dst] is { } v)
                        {
                            notes.Add(new AnnotationSpec(labels[dst], labels[src], Fmt(v, v >= 100 ? "F0" : "F1"), Color: "#111111", Size: 11, BgColor: "rgba(255,255,255,0.7)"));
                        }
                    }

                    z.Add(line);
                }

                var modeLabel = mode.Length == 0 ? "" : $" — P2P {mode}";
                var trace = new TraceSpec("heatmap", $"{m.Label}{modeLabel}", labels, labels, Z: z, ColorScale: "Viridis", ReverseScale: m.LowerIsBetter,
                    ZMin: 0, ZMax: zMax, ColorBarTitle: m.Unit, ShowScale: c == modes.Count - 1, ShowLegend: false,
                    HoverTemplate: "GPU %{y} → %{x}: %{z:.2f} " + m.Unit + "<extra></extra>");
                panels.Add(new PanelSpec($"{m.Label} ({m.Unit}){modeLabel}", new AxisSpec("Destination GPU", "category"), new AxisSpec("Source GPU", "category", Reversed: true),
                    [trace], Annotations: notes));
            }
        }

        var (banner, subtitle) = data.Provenance(rows);
        var statuses = rows.Where(r => r.Status != RowStatus.Ok).Select(r => r.Status).Distinct().Order().ToList();
        if (statuses.Count > 0)
        {
            subtitle += "; blank = waived or not measured, red = " + string.Join("/", statuses.Where(s => s != RowStatus.Waived).Select(s => s.ToString().ToLowerInvariant()));
        }

        return new Figure(new FigureSpec(title, subtitle, banner, matrices.Count, modes.Count, panels, Height: 300 * matrices.Count + 120));
    }

    public static Figure BandwidthMatrices(params LoadedRun[] runs) => BandwidthMatrices(ChartData.From(runs));
}
