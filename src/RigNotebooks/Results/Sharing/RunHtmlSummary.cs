using System.Globalization;
using System.Net;
using System.Text;
using RigNotebooks.Model;

namespace RigNotebooks.Results.Sharing;

/// <summary>A self-contained HTML page for one run (and an index for an archive): plain tables, inline style, no script
/// and nothing fetched from the network, so it opens offline anywhere. Simulated runs say so in a banner.</summary>
public static class RunHtmlSummary
{
    /// <summary>More rows than this are left to rows.csv, so the page stays small enough to open.</summary>
    public const int MaxRows = 5000;

    private const string Style =
        "body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}" +
        "td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}th{background:#f3f3f3}" +
        ".banner{padding:.6em 1em;margin:1em 0;font-weight:bold}.simulated{background:#fff3cd}.measured{background:#d1e7dd}" +
        ".imported{background:#cfe2ff}.bad{color:#b00020}.num{text-align:right;font-variant-numeric:tabular-nums}";

    public static string Render(RunRecord record, IReadOnlyList<ResultRow> rows, IReadOnlyList<string> dropped)
    {
        var html = new StringBuilder();
        Open(html, $"{record.Experiment} run {record.Id}");
        html.Append("<h1>").Append(E(record.Experiment)).Append(" run <code>").Append(E(record.Id)).Append("</code></h1>\n");
        html.Append("<div class=\"banner ").Append(Lower(record.Source)).Append("\">").Append(SourceBanner(record.Source)).Append("</div>\n");

        Table(html, "Run", ["", ""],
        [
            ["experiment", record.Experiment],
            ["rig", record.Rig.RigId],
            ["source", Lower(record.Source)],
            ["status", Lower(record.Status) + (record.Provenance is { } p ? $" (was {Lower(p.OriginalStatus)} where it was made)" : string.Empty)],
            ["started (UTC)", record.StartedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)],
            ["ended (UTC)", record.EndedUtc?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? ""],
            ["error", record.Error ?? ""],
            ["driver", record.Rig.DriverVersion],
            ["CUDA driver", record.Rig.CudaDriverVersion],
            ["IOMMU", Lower(record.Rig.Iommu)],
            ["kernel command line", record.Rig.KernelCommandLine],
            ["rig hash", record.Rig.Hash],
            ["tags", string.Join(", ", record.Tags)],
            .. record.Software.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new[] { $"software: {s.Key}", s.Value }),
            .. record.Summary.Select(s => new[] { $"summary: {s.Key}", s.Value }),
        ], header: false);

        Table(html, "GPUs", ["#", "model", "UUID", "PCI bus", "link", "max link", "power limit (W)"],
            record.Rig.Gpus.Select(g => new[] { N(g.Index), g.Name, g.Uuid, g.PciBusId, g.LinkCurrent, g.LinkMax, g.PowerLimitW.ToString("0.##", CultureInfo.InvariantCulture) }));

        if (record.Notes.Count > 0)
        {
            Table(html, "Notes", ["time (UTC)", "note"], record.Notes.Select(n => new[] { n.TimeUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), n.Text }));
        }

        if (record.Findings.Count > 0)
        {
            Table(html, "Findings", ["severity", "code", "title", "evidence", "remedy"],
                record.Findings.Select(f => new[] { Lower(f.Severity), f.Code, f.Title, f.Evidence, f.Remedy }));
        }

        Table(html, $"Rows ({rows.Count})", ["time (UTC)", "case", "gpu", "peer", "metric", "value", "unit", "status", "source", "params", "note"],
            rows.Take(MaxRows).Select(r => new[]
            {
                r.TimeUtc.UtcDateTime.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture), r.Case, r.Gpu is { } g ? N(g) : "", r.Peer is { } p ? N(p) : "", r.Metric,
                double.IsNaN(r.Value) ? "" : r.Value.ToString("G6", CultureInfo.InvariantCulture), r.Unit, Lower(r.Status), Lower(r.Source),
                RowsCsv.FormatParameters(r.Parameters), r.Note ?? "",
            }));
        if (rows.Count > MaxRows)
        {
            html.Append("<p>").Append(N(rows.Count - MaxRows)).Append(" more rows are in rows.csv.</p>\n");
        }

        foreach (var d in dropped)
        {
            html.Append("<p class=\"bad\">dropped: ").Append(E(d)).Append("</p>\n");
        }

        return Close(html);
    }

    public static string RenderIndex(ArchiveManifest manifest, IReadOnlyDictionary<string, RunRecord> records)
    {
        var html = new StringBuilder();
        Open(html, "RigNotebooks runs");
        html.Append("<h1>RigNotebooks runs</h1>\n<p>Exported ")
            .Append(E(manifest.ExportedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))).Append(" UTC with RigNotebooks ")
            .Append(E(manifest.ExportedWith)).Append(manifest.Anonymized ? ". Anonymised: GPU UUIDs, serials, hostnames and user names are aliases." : ".")
            .Append("</p>\n<table><tr><th>run</th><th>experiment</th><th>rig</th><th>source</th><th>status</th><th>rows</th><th>tags</th></tr>\n");
        foreach (var run in manifest.Runs)
        {
            var r = records[run.Id];
            html.Append("<tr><td><a href=\"runs/").Append(E(run.Id)).Append("/summary.html\">").Append(E(run.Id)).Append("</a></td><td>")
                .Append(E(r.Experiment)).Append("</td><td>").Append(E(r.Rig.RigId)).Append("</td><td>").Append(E(Lower(r.Source))).Append("</td><td>")
                .Append(E(Lower(r.Status))).Append("</td><td class=\"num\">").Append(N(run.Rows)).Append("</td><td>").Append(E(string.Join(", ", r.Tags))).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
        return Close(html);
    }

    private static string SourceBanner(DataSource source) => source switch
    {
        DataSource.Simulated => "SIMULATED: these figures come from a model of the rig, not from measurements.",
        DataSource.Imported => "IMPORTED: these figures were read from another tool's output.",
        _ => "MEASURED on a real rig.",
    };

    private static void Open(StringBuilder html, string title) =>
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title))
            .Append("</title><style>").Append(Style).Append("</style></head><body>\n");

    private static string Close(StringBuilder html) => html.Append("</body></html>\n").ToString();

    private static void Table(StringBuilder html, string title, string[] columns, IEnumerable<string[]> rows, bool header = true)
    {
        html.Append("<h2>").Append(E(title)).Append("</h2>\n<table>\n");
        if (header)
        {
            html.Append("<tr>");
            foreach (var c in columns)
            {
                html.Append("<th>").Append(E(c)).Append("</th>");
            }

            html.Append("</tr>\n");
        }

        foreach (var row in rows)
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Length; i++)
            {
                html.Append(!header && i == 0 ? "<th>" : "<td>").Append(E(row[i])).Append(!header && i == 0 ? "</th>" : "</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</table>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}
