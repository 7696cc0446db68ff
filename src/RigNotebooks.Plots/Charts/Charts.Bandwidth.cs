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
    /// marked in red; the diagonal is blank. The P2P data check (<c>peer_correctness</c>, a P2P-on copy) marks its
    /// pair in every P2P-on panel: a peer copy that is fast but wrong, or that hung before anything was timed, shows
    /// where the bandwidth would be. Cells not attempted after a hang say so in grey.</summary>
    public static Figure BandwidthMatrices(ChartData data, string title = "GPU-to-GPU bandwidth and latency")
    {
        var rows = data.Where("bandwidth").Where(r => r.Gpu is not null && r.Peer is not null && PeerMatrices.Any(m => m.Case == r.Case && m.Metric == r.Metric)).ToList();
        if (rows.Count == 0)
        {
            return Empty(title, "no peer bandwidth rows", data);
        }

        var checks = PeerCheckVerdicts(data);
        var n = rows.Max(r => Math.Max(r.Gpu!.Value, r.Peer!.Value)) + 1;
        var labels = Objects(Enumerable.Range(0, n).Select(i => $"GPU {i}"));
        var modes = rows.Select(r => r.Parameter("p2p") ?? "").Distinct().OrderBy(m => m == "on" ? 0 : m == "off" ? 1 : 2).ToList();
        var matrices = PeerMatrices.Where(m => rows.Any(r => r.Case == m.Case)).ToList();
        var panels = new List<PanelSpec>();
        var marked = new HashSet<RowStatus>();
        var skipped = false;
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
                        var check = mode is "on" or "" && checks.TryGetValue((src, dst), out var verdict) ? verdict : (RowStatus?)null;
                        var bad = cell.Status is RowStatus.Hung or RowStatus.Wrong or RowStatus.Failed ? cell.Status : check;
                        var text = line[dst] is { } v ? Fmt(v, v >= 100 ? "F0" : "F1") : null;
                        if (bad is { } status)
                        {
                            marked.Add(status);
                            var word = status == RowStatus.Wrong ? "WRONG DATA" : StatusWord(status);
                            notes.Add(new AnnotationSpec(labels[dst], labels[src], "<b>" + word + "</b>" + (text is null ? "" : "<br>" + text), Color: Palette.Danger, Size: 12, BgColor: "rgba(255,255,255,0.85)"));
                        }
                        else if (text is not null)
                        {
                            notes.Add(new AnnotationSpec(labels[dst], labels[src], text, Color: "#111111", Size: 11, BgColor: "rgba(255,255,255,0.7)"));
                        }
                        else if (cell.Status == RowStatus.Waived && IsSkippedAfterHang(cell))
                        {
                            skipped = true;
                            notes.Add(new AnnotationSpec(labels[dst], labels[src], "not run", Color: Palette.Muted, Size: 10));
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
        if (rows.Any(r => r.Status != RowStatus.Ok) || marked.Count > 0)
        {
            subtitle += "; blank = waived or not measured";
            if (marked.Count > 0)
            {
                subtitle += "; red = " + string.Join("/", marked.Order().Select(s => s == RowStatus.Wrong ? "wrong data" : s.ToString().ToLowerInvariant()))
                    + (checks.Count > 0 ? " (P2P data check or the copy itself)" : "");
            }

            if (skipped)
            {
                subtitle += "; 'not run' = skipped after a hang";
            }
        }

        return new Figure(new FigureSpec(title, subtitle, banner, matrices.Count, modes.Count, panels, Height: 300 * matrices.Count + 120));
    }

    /// <summary>The worst verdict of the P2P data check per (source, destination) pair, where it was not ok.</summary>
    private static Dictionary<(int Src, int Dst), RowStatus> PeerCheckVerdicts(ChartData data) =>
        data.Where("bandwidth")
            .Where(r => r.Case == "peer_correctness" && r.Gpu is not null && r.Peer is not null && r.Status is RowStatus.Hung or RowStatus.Wrong or RowStatus.Failed)
            .GroupBy(r => (r.Gpu!.Value, r.Peer!.Value))
            .ToDictionary(g => g.Key, g => g.Select(r => r.Status).Max());

    private static bool IsSkippedAfterHang(ResultRow row) =>
        row.Note is { } note && note.StartsWith("not attempted", StringComparison.Ordinal) && note.Contains("hung", StringComparison.Ordinal);

    public static Figure BandwidthMatrices(params LoadedRun[] runs) => BandwidthMatrices(ChartData.From(runs));
}
