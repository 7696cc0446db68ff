using RigNotebooks.Doctor;
using Spectre.Console;

namespace RigNotebooks.Cli.Views;

/// <summary>Findings for a terminal: most severe first, each with its evidence and remedy.</summary>
public static class FindingsView
{
    public static void Render(IAnsiConsole console, IReadOnlyList<Finding> findings)
    {
        if (findings.Count == 0)
        {
            console.MarkupLine("[green]No findings.[/]");
            return;
        }

        foreach (var f in findings)
        {
            var (label, color) = f.Severity switch
            {
                Severity.Error => ("ERROR", "red"),
                Severity.Warning => ("WARN ", "yellow"),
                _ => ("hint ", "blue"),
            };
            console.MarkupLine($"[{color} bold]{label}[/] {Markup.Escape(f.Title)} [grey]({Markup.Escape(f.Code)})[/]");
            console.MarkupLine($"       [grey]evidence:[/] {Markup.Escape(f.Evidence)}");
            console.MarkupLine($"       [grey]remedy:[/]   {Markup.Escape(f.Remedy)}");
            foreach (var source in f.Sources)
            {
                console.MarkupLine($"       [grey]source:   {Markup.Escape(source)}[/]");
            }
        }

        var errors = findings.Count(f => f.Severity == Severity.Error);
        var warnings = findings.Count(f => f.Severity == Severity.Warning);
        console.MarkupLine($"{errors} error(s), {warnings} warning(s), {findings.Count - errors - warnings} hint(s).");
    }
}
