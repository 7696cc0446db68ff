using System.Globalization;
using RigNotebooks.Bandwidth;
using RigNotebooks.Model;
using Spectre.Console;

namespace RigNotebooks.Cli.Views;

/// <summary>An all-reduce run for a terminal, in nccl-tests' columns.</summary>
public static class AllReduceView
{
    public static void Render(IAnsiConsole console, string rig, DataSource source, AllReduceReport report)
    {
        console.MarkupLine($"[bold]rig allreduce[/] {Markup.Escape(rig)} ({source.ToString().ToLowerInvariant()}), {report.Ranks} rank(s), float32 sum; busbw = algbw x 2(n-1)/n");
        var table = new Table().AddColumns("P2P", "size (B)", "place", "time (us)", "algbw (GB/s)", "busbw (GB/s)", "#wrong");
        foreach (var l in report.Lines)
        {
            table.AddRow(l.P2p, l.SizeBytes.ToString(CultureInfo.InvariantCulture), l.InPlace ? "in" : "out", F(l.TimeUs), F(l.AlgBwGBps), F(l.BusBwGBps),
                l.Wrong?.ToString(CultureInfo.InvariantCulture) ?? "N/A");
        }

        console.Write(table);
        foreach (var (mode, avg) in report.AverageBusBwGBps)
        {
            console.MarkupLine($"Avg bus bandwidth, P2P {mode}: {avg.ToString("0.###", CultureInfo.InvariantCulture)} GB/s");
        }

        foreach (var group in report.NotMeasured.GroupBy(n => (n.Status, n.P2p)))
        {
            console.MarkupLine($"[yellow]{group.Key.Status} (p2p={group.Key.P2p}):[/] {group.Count()} size(s); first: {Markup.Escape(group.First().Note)}");
        }
    }

    private static string F(double? v) => v is { } x ? x.ToString(x >= 100 ? "0.0" : "0.00", CultureInfo.InvariantCulture) : "-";
}
