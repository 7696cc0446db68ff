using System.Globalization;
using RigNotebooks.Results;
using RigNotebooks.Results.Comparison;
using Spectre.Console;

namespace RigNotebooks.Cli.Views;

/// <summary>A comparison as tables: the runs (with notes and tags), warnings, the rows with their deltas, and the
/// environment differences. Mixed sources are marked with '!' and never shown without a warning.</summary>
public static class ComparisonView
{
    public const int MaxRows = 200;

    public static void Render(IAnsiConsole console, RunComparison comparison, bool changedOnly)
    {
        console.MarkupLine($"[bold]rig runs compare[/]: {Markup.Escape(comparison.Experiment)}, {comparison.Runs.Count} runs, deltas against run 1");
        var runs = new Table().AddColumns("#", "Run", "Label", "Rig", "Source", "Status", "Rows", "Tags");
        foreach (var r in comparison.Runs)
        {
            runs.AddRow(
                (r.Index + 1).ToString(CultureInfo.InvariantCulture) + (r.Index == 0 ? " (base)" : string.Empty),
                Markup.Escape(r.Id),
                Markup.Escape(r.Label),
                Markup.Escape(r.RigId),
                Lower(r.Source),
                Lower(r.Status) + (r.Provenance is { } p ? Markup.Escape($" ({(p.Anonymized ? "anonymised " : string.Empty)}from {p.Archive})") : string.Empty),
                r.RowCount.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(string.Join(", ", r.Tags)));
        }

        console.Write(runs);
        foreach (var r in comparison.Runs)
        {
            foreach (var note in r.Notes)
            {
                console.MarkupLine($"  [blue]note[/] run {r.Index + 1}, {note.TimeUtc:yyyy-MM-dd HH:mm}: {Markup.Escape(note.Text)}");
            }
        }

        foreach (var warning in comparison.Warnings)
        {
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
        }

        RenderRows(console, comparison, changedOnly);
        RenderEnvironment(console, comparison);
    }

    private static void RenderRows(IAnsiConsole console, RunComparison comparison, bool changedOnly)
    {
        var rows = (changedOnly ? comparison.ChangedRows : comparison.Rows).ToList();
        var changed = comparison.Rows.Count(r => r.Changed);
        console.MarkupLine($"[bold]Rows[/]: {comparison.Rows.Count} lined up, {changed} differ from run 1" + (changedOnly ? " (showing those)" : string.Empty));
        if (rows.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumn("Row").AddColumn("Unit");
        foreach (var r in comparison.Runs)
        {
            table.AddColumn(new TableColumn(Markup.Escape($"{r.Index + 1}: {r.Label}")).RightAligned());
        }

        foreach (var r in comparison.Runs.Skip(1))
        {
            table.AddColumn(new TableColumn($"Δ {r.Index + 1} vs 1").RightAligned());
        }

        foreach (var row in rows.Take(MaxRows))
        {
            var cells = new List<string>
            {
                (row.MixedSources || row.UnitMismatch ? "[red]![/] " : string.Empty) + Markup.Escape(row.Key.Label),
                Markup.Escape(row.UnitMismatch ? string.Join(" / ", row.Values.Where(v => v.Present).Select(v => v.Unit).Distinct()) : row.Unit),
            };
            cells.AddRange(row.Values.Select(Value));
            cells.AddRange(row.Values.Skip(1).Select(v => Delta(row.Values[0], v)));
            table.AddRow(cells.ToArray());
        }

        console.Write(table);
        if (rows.Count > MaxRows)
        {
            console.MarkupLine($"[grey]… {rows.Count - MaxRows} more rows (use --changed, or --json for all)[/]");
        }
    }

    private static void RenderEnvironment(IAnsiConsole console, RunComparison comparison)
    {
        if (comparison.Environment.Count == 0)
        {
            console.MarkupLine("[bold]Environment[/]: no differences (driver, CUDA, kernel command line, IOMMU, GPUs, links, power limits, rig, source, software and spec all match).");
            return;
        }

        console.MarkupLine($"[bold]Environment differences[/] that could explain the deltas ({comparison.Environment.Count}):");
        var table = new Table().AddColumn("What").AddColumn("Field");
        foreach (var r in comparison.Runs)
        {
            table.AddColumn(Markup.Escape($"{r.Index + 1}: {r.Label}"));
        }

        table.AddColumn("Change");
        foreach (var d in comparison.Environment)
        {
            var cells = new List<string> { (d.Flagged ? "[red]![/] " : string.Empty) + Lower(d.Category), Markup.Escape(d.Field) };
            cells.AddRange(d.Values.Select(v => Markup.Escape(v ?? "–")));
            cells.Add(Markup.Escape(d.Detail ?? string.Empty));
            table.AddRow(cells.ToArray());
        }

        console.Write(table);
    }

    private static string Value(ComparedValue v)
    {
        if (!v.Present)
        {
            return "[grey]–[/]";
        }

        if (v.Status is { } status && status != RowStatus.Ok)
        {
            return $"[red]{Lower(status)}[/]";
        }

        var text = v.Value is { } x ? x.ToString("G6", CultureInfo.InvariantCulture) : "n/a";
        return v.Source is { } s && s != Model.DataSource.Measured ? $"{text} [grey]{Lower(s)[..3]}[/]" : text;
    }

    private static string Delta(ComparedValue baseline, ComparedValue v)
    {
        if (baseline.Present != v.Present)
        {
            return v.Present ? "[yellow]only here[/]" : "[yellow]missing[/]";
        }

        if (v.DeltaAbs is not { } abs)
        {
            return baseline.Status != v.Status ? "[yellow]status[/]" : string.Empty;
        }

        var text = abs.ToString("+0.####;-0.####;0", CultureInfo.InvariantCulture);
        if (v.DeltaRel is { } rel)
        {
            text += $" ({(rel * 100).ToString("+0.0;-0.0;0", CultureInfo.InvariantCulture)}%)";
        }

        return abs == 0 ? $"[grey]{text}[/]" : text;
    }

    private static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}
