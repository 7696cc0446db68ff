using System.Globalization;
using System.Text;
using RigNotebooks.Model;
using RigNotebooks.Results;

namespace RigNotebooks.Plots;

/// <summary>A GPU × GPU table of text cells (topology, a measured metric), for notebooks and reports.</summary>
public sealed record Matrix(string Title, IReadOnlyList<string> RowLabels, IReadOnlyList<string> ColumnLabels, IReadOnlyList<IReadOnlyList<string>> Cells, string? Note = null)
{
    /// <summary>How each GPU pair is connected (nvidia-smi topo -m style: PIX, PXB, PHB, NODE, SYS) and whether P2P is supported.</summary>
    public static Matrix Topology(RigDescription rig)
    {
        var n = rig.Gpus.Count;
        var labels = Enumerable.Range(0, n).Select(i => $"GPU {i}").ToList();
        var cells = Enumerable.Range(0, n).Select(from => (IReadOnlyList<string>)Enumerable.Range(0, n).Select(to =>
        {
            if (from == to)
            {
                return "X";
            }

            var pair = rig.Pairs.FirstOrDefault(p => p.From == from && p.To == to);
            return pair is null ? "?" : $"{pair.Relation} · P2P {(pair.P2P.Supported ? "yes" : "no")}";
        }).ToList()).ToList();
        return new Matrix($"Topology of {rig.RigId}", labels, labels, cells, rig.Source == DataSource.Simulated ? "simulated rig" : null);
    }

    /// <summary>One metric of GPU-pair rows (e.g. <c>bandwidth</c> / <c>peer_unidirectional</c>, P2P on): the value at the
    /// largest size, or the row's status (WAIVED, HUNG, WRONG, FAILED) where it has no value.</summary>
    public static Matrix Of(IEnumerable<ResultRow> rows, string experiment, string @case, string metric, string? p2p = null)
    {
        var chosen = rows.Where(r => r.Experiment == experiment && r.Case == @case && r.Metric == metric && r.Gpu is not null && r.Peer is not null
            && (p2p is null || r.Parameter("p2p") == p2p)).ToList();
        var n = chosen.Count == 0 ? 0 : chosen.Max(r => Math.Max(r.Gpu!.Value, r.Peer!.Value)) + 1;
        var labels = Enumerable.Range(0, n).Select(i => $"GPU {i}").ToList();
        var unit = chosen.FirstOrDefault()?.Unit ?? "";
        var cells = Enumerable.Range(0, n).Select(src => (IReadOnlyList<string>)Enumerable.Range(0, n).Select(dst =>
        {
            var cell = chosen.Where(r => r.Gpu == src && r.Peer == dst)
                .OrderByDescending(r => ChartData.Param(r, "size_bytes") ?? 0).FirstOrDefault();
            return src == dst ? "–" : cell is null ? "" : cell.Status == RowStatus.Ok ? cell.Value.ToString("F2", CultureInfo.InvariantCulture) : cell.Status.ToString().ToUpperInvariant();
        }).ToList()).ToList();
        var sources = chosen.Select(r => r.Source).Distinct().ToList();
        var note = sources.Contains(DataSource.Simulated) ? "simulated" : null;
        return new Matrix($"{@case} {metric} ({unit}){(p2p is null ? "" : $", P2P {p2p}")}", labels, labels, cells, note);
    }

    public string ToHtml()
    {
        var html = new StringBuilder("<table class=\"rig-matrix\"><caption>").Append(Html.Text(Title));
        if (Note is not null)
        {
            html.Append(" <span style=\"color:#b00020\">(").Append(Html.Text(Note)).Append(")</span>");
        }

        html.Append("</caption><thead><tr><th>from \\ to</th>");
        foreach (var c in ColumnLabels)
        {
            html.Append("<th>").Append(Html.Text(c)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        for (var i = 0; i < Cells.Count; i++)
        {
            html.Append("<tr><th>").Append(Html.Text(RowLabels[i])).Append("</th>");
            foreach (var cell in Cells[i])
            {
                var bad = cell is "HUNG" or "WRONG" or "FAILED";
                html.Append(bad ? "<td style=\"color:#b00020;font-weight:bold\">" : "<td>").Append(Html.Text(cell)).Append("</td>");
            }

            html.Append("</tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }

    public string ToText()
    {
        var width = Math.Max(8, Cells.SelectMany(r => r).Concat(ColumnLabels).DefaultIfEmpty("").Max(c => c.Length) + 2);
        var text = new StringBuilder(Title).Append(Note is null ? "" : $" ({Note})").Append('\n').Append("".PadRight(8));
        foreach (var c in ColumnLabels)
        {
            text.Append(c.PadLeft(width));
        }

        for (var i = 0; i < Cells.Count; i++)
        {
            text.Append('\n').Append(RowLabels[i].PadRight(8));
            foreach (var cell in Cells[i])
            {
                text.Append(cell.PadLeft(width));
            }
        }

        return text.ToString();
    }
}
