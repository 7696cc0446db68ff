using RigNotebooks.Model;
using Spectre.Console;

namespace RigNotebooks.Cli.Views;

/// <summary>`rig topo` for a terminal: the relation matrix, the P2P matrix, and the link table.</summary>
public static class TopoView
{
    public static void Render(IAnsiConsole console, RigDescription rig)
    {
        console.MarkupLine($"[bold]{Markup.Escape(rig.RigId)}[/] ({rig.Source.ToString().ToLowerInvariant()}), driver {Markup.Escape(rig.Platform.DriverVersion)}, CUDA {Markup.Escape(rig.Platform.CudaDriverVersion)}, IOMMU {rig.Platform.Iommu.ToString().ToLowerInvariant()}");

        var relations = Matrix(rig, "Relation", p => p.Relation.ToTopoCode());
        console.Write(relations);
        console.MarkupLine("[grey]X = self, PIX = one PCIe switch, PXB = several switches, PHB = via the CPU host bridge, NODE = between host bridges of one NUMA node, SYS = across CPU dies / NUMA nodes, NV = NVLink[/]");

        console.Write(Matrix(rig, "P2P", p => p.From == p.To ? "X" : p.P2P.Supported ? "OK" : "no"));
        foreach (var p in rig.PeerPairs.Where(p => p.From < p.To))
        {
            console.MarkupLine($"[grey]GPU {p.From}->GPU {p.To}: {Markup.Escape(p.P2P.Reason)}[/]");
        }

        var links = new Table().Title("PCIe links").AddColumns("GPU", "Name", "Bus id", "Current", "Max", "NUMA", "Power limit");
        foreach (var g in rig.Gpus)
        {
            var current = g.Link.IsBelowMax ? $"[yellow]{g.Link.Current}[/]" : g.Link.Current;
            links.AddRow(g.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(g.Name), g.PciBusId, current, g.Link.Max,
                g.NumaNode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?", $"{g.PowerLimits.CurrentW:0} W");
        }

        console.Write(links);
        foreach (var unknown in rig.Unknowns)
        {
            console.MarkupLine($"[grey]unknown {Markup.Escape(unknown.Field)}: {Markup.Escape(unknown.Reason)}[/]");
        }
    }

    private static Table Matrix(RigDescription rig, string title, Func<GpuPair, string> cell)
    {
        var table = new Table().Title(title).AddColumn(string.Empty);
        foreach (var g in rig.Gpus)
        {
            table.AddColumn($"GPU{g.Index}");
        }

        foreach (var from in rig.Gpus)
        {
            var row = new List<string> { $"GPU{from.Index}" };
            row.AddRange(rig.Gpus.Select(to => cell(rig.Pair(from.Index, to.Index))));
            table.AddRow(row.ToArray());
        }

        return table;
    }
}
