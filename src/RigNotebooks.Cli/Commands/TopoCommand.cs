using System.Text.Json.Serialization;
using System.CommandLine;
using RigNotebooks.Cli.Views;
using RigNotebooks.Model;

namespace RigNotebooks.Cli.Commands;

/// <summary>`rig topo`: how the GPUs connect — relations, P2P capability and links.</summary>
public static class TopoCommand
{
    public static Command Create(GlobalOptions options, TextWriter stdout, TextWriter stderr) =>
        CommandFactory.Create("topo", "Show the GPU topology: relation matrix (like nvidia-smi topo -m), P2P capability, PCIe links.", options, RunAsync, stdout, stderr);

    private static Task<int> RunAsync(CommandContext context, CancellationToken ct)
    {
        using var rig = context.OpenRig();
        var d = rig.Describe();
        if (context.Json)
        {
            context.WriteJson(new TopoReport(
                d.RigId,
                d.Source.ToString().ToLowerInvariant(),
                d.Platform,
                d.Gpus.Select(g => new TopoGpu(g.Index, g.Name, g.Uuid, g.PciBusId, g.Architecture, g.MemoryBytes, g.NumaNode, g.Link, g.PowerLimits, g.UpstreamBridgeIds)).ToList(),
                d.Gpus.Select(a => d.Gpus.Select(b => d.Pair(a.Index, b.Index).Relation.ToTopoCode()).ToList()).ToList(),
                d.Gpus.Select(a => d.Gpus.Select(b => d.Pair(a.Index, b.Index).P2P).ToList()).ToList(),
                d.Bridges,
                d.Unknowns));
        }
        else
        {
            TopoView.Render(context.Console, d);
        }

        return Task.FromResult(ExitCodes.Ok);
    }

    private sealed record TopoReport(
        string Rig,
        string Source,
        PlatformInfo Platform,
        IReadOnlyList<TopoGpu> Gpus,
        IReadOnlyList<IReadOnlyList<string>> Relations,
        [property: JsonPropertyName("p2p")] IReadOnlyList<IReadOnlyList<P2PCapability>> P2P,
        IReadOnlyList<PcieBridge> Bridges,
        IReadOnlyList<UnknownFact> Unknowns);

    private sealed record TopoGpu(int Index, string Name, string Uuid, string PciBusId, string Architecture, long MemoryBytes, int? NumaNode, PcieLink Link, PowerLimits PowerLimits, IReadOnlyList<string> UpstreamBridgeIds);
}
