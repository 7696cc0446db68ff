using System.Globalization;
using RigNotebooks.Bandwidth;
using RigNotebooks.Model;
using Spectre.Console;

namespace RigNotebooks.Cli.Views;

/// <summary>A bandwidth run for a terminal: host copies per GPU, then the peer matrices like p2pBandwidthLatencyTest.</summary>
public static class BandwidthView
{
    public static void Render(IAnsiConsole console, string rig, DataSource source, BandwidthReport report, int gpus)
    {
        console.MarkupLine($"[bold]rig bandwidth[/] {Markup.Escape(rig)} ({source.ToString().ToLowerInvariant()}); GB = 1e9 bytes");
        if (report.Host.Count > 0)
        {
            var host = new Table().AddColumns("Case", "GPU", "GB/s (median)", "min", "max", "Link during test");
            foreach (var h in report.Host.OrderBy(h => h.Case, StringComparer.Ordinal).ThenBy(h => h.Gpu))
            {
                host.AddRow(h.Case, h.Gpu.ToString(CultureInfo.InvariantCulture), F(h.BandwidthGBps), F(h.MinGBps), F(h.MaxGBps),
                    h.LinkGen is { } g ? $"Gen{g} x{h.LinkWidth}" : "-");
            }

            console.Write(host);
        }

        Matrix(console, "Unidirectional bandwidth (GB/s), row = source, column = destination", report.Unidirectional, gpus);
        Matrix(console, "Bidirectional bandwidth (GB/s, both directions summed)", report.Bidirectional, gpus);
        Matrix(console, "Latency (us)", report.Latency, gpus);

        foreach (var c in report.Correctness.Where(c => c.MismatchedBytes > 0))
        {
            console.MarkupLine($"[red]P2P data check GPU {c.Gpu}->{c.Peer}, {c.SizeBytes} bytes: {c.MismatchedBytes} wrong, first at offset {c.FirstWrongOffsetBytes}[/]");
        }

        if (report.Correctness.Count > 0 && report.Correctness.All(c => c.MismatchedBytes == 0))
        {
            console.MarkupLine($"[green]P2P data check: {report.Correctness.Count} copies read back intact.[/]");
        }

        var notMeasured = report.NotMeasured.GroupBy(n => (n.Status, n.Note)).ToList();
        foreach (var group in notMeasured)
        {
            var cases = string.Join(", ", group.Select(n => $"{n.Case}{(n.Gpu is { } g ? $" {g}" : string.Empty)}{(n.Peer is { } p ? $"->{p}" : string.Empty)}{(n.P2p is { } p2p ? $" p2p={p2p}" : string.Empty)}").Distinct().Take(6));
            var more = group.Count() > 6 ? $" and {group.Count() - 6} more" : string.Empty;
            console.MarkupLine($"[yellow]{group.Key.Status}:[/] {Markup.Escape(cases)}{more}: {Markup.Escape(group.Key.Note)}");
        }
    }

    private static void Matrix(IAnsiConsole console, string title, PeerMatrices matrices, int gpus)
    {
        if (gpus < 2 || (All(matrices.P2pOn).All(v => v is null) && All(matrices.P2pOff).All(v => v is null)))
        {
            return;
        }

        var table = new Table { Title = new TableTitle(title) };
        table.AddColumn("P2P");
        table.AddColumn("src\\dst");
        for (var j = 0; j < gpus; j++)
        {
            table.AddColumn(j.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var (label, m) in new[] { ("on", matrices.P2pOn), ("off", matrices.P2pOff) })
        {
            for (var i = 0; i < gpus; i++)
            {
                table.AddRow([i == 0 ? label : string.Empty, i.ToString(CultureInfo.InvariantCulture), .. m[i].Select(F)]);
            }
        }

        console.Write(table);
    }

    private static IEnumerable<double?> All(IReadOnlyList<IReadOnlyList<double?>> m) => m.SelectMany(r => r);

    private static string F(double? v) => v is { } x ? x.ToString(x >= 100 ? "0" : "0.00", CultureInfo.InvariantCulture) : "-";
}
