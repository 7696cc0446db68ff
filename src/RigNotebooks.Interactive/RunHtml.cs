using System.Globalization;
using System.Text;
using RigNotebooks.Plots;
using RigNotebooks.Results;

namespace RigNotebooks.Interactive;

/// <summary>A run as HTML: what, on which rig, measured or simulated, how it ended, its tags and notes, its summary,
/// findings and row counts.</summary>
public static class RunHtml
{
    public static string Of(LoadedRun run)
    {
        var r = run.Record;
        var html = new StringBuilder("<div class=\"rig-run\">");
        var source = r.Source.ToString().ToLowerInvariant();
        html.Append("<b>").Append(Html.Text(r.Id)).Append("</b> — ").Append(Html.Text(r.Experiment)).Append(" on <code>")
            .Append(Html.Text(r.Rig.RigId)).Append("</code>, ")
            .Append(source == "simulated" ? "<span style=\"color:#b00020;font-weight:bold\">simulated</span>" : Html.Text(source))
            .Append(", ").Append(Html.Text(r.Status.ToString().ToLowerInvariant()))
            .Append(CultureInfo.InvariantCulture, $", {run.Rows.Count} rows");
        if (r.Error is not null)
        {
            html.Append("<div style=\"color:#b00020\">").Append(Html.Text(r.Error)).Append("</div>");
        }

        if (r.Tags.Count > 0)
        {
            html.Append("<div class=\"rig-tags\">tags: ").Append(Html.Text(string.Join(", ", r.Tags))).Append("</div>");
        }

        if (r.Notes.Count > 0)
        {
            html.Append("<ul class=\"rig-notes\">");
            foreach (var note in r.Notes)
            {
                html.Append("<li><span style=\"color:#666\">").Append(Html.Text(NoteTime(note))).Append("</span> ")
                    .Append(Html.Text(note.Text)).Append("</li>");
            }

            html.Append("</ul>");
        }

        if (r.Summary.Count > 0)
        {
            html.Append("<table><tbody>");
            foreach (var (k, v) in r.Summary)
            {
                html.Append("<tr><th>").Append(Html.Text(k)).Append("</th><td>").Append(Html.Text(v)).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        var statuses = run.Rows.GroupBy(x => x.Status).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}");
        html.Append("<div>rows: ").Append(Html.Text(string.Join(", ", statuses))).Append("</div>");
        if (r.Findings.Count > 0)
        {
            html.Append(FindingsTable.Html(r.Findings));
        }

        return html.Append("</div>").ToString();
    }

    /// <summary>An experiment's run with what the watchdog did above it.</summary>
    public static string Of(Experiments.ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var watchdog = result.Watchdog.Count == 0
            ? string.Empty
            : "<div class=\"rig-watchdog\"><b>watchdog</b><pre>" + Html.Text(string.Join("\n", result.Watchdog)) + "</pre></div>";
        return watchdog + Of(result.Run);
    }

    public static string Text(Experiments.ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return string.Concat(result.Watchdog.Select(w => $"watchdog: {w}\n")) + Text(result.Run) +
            string.Concat(result.Findings.Select(f => $"\n  {f.Severity.ToString().ToLowerInvariant()}: {f.Title}"));
    }

    public static string Text(LoadedRun run) =>
        $"{run.Id}: {run.Record.Experiment} on {run.Record.Rig.RigId} ({run.Record.Source.ToString().ToLowerInvariant()}), {run.Record.Status.ToString().ToLowerInvariant()}, {run.Rows.Count} rows" +
        (run.Record.Tags.Count == 0 ? string.Empty : $"\n  tags: {string.Join(", ", run.Record.Tags)}") +
        string.Concat(run.Record.Notes.Select(n => $"\n  note ({NoteTime(n)}): {n.Text}"));

    private static string NoteTime(RunNote note) => note.TimeUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
