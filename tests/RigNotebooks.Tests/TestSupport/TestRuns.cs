using System.Text.Json.Nodes;
using RigNotebooks.Model;
using RigNotebooks.Results;
using RigNotebooks.Rigs;

namespace RigNotebooks.Tests.TestSupport;

/// <summary>Writes runs through the real RunStore, on a simulated rig, with rows shaped like docs/ROWS.md.</summary>
public static class TestRuns
{
    /// <summary>A completed bandwidth-like run: host-to-device per GPU and peer copies with p2p on, values scaled by <paramref name="scale"/>;
    /// <paramref name="peerParams"/> are added to the peer rows' parameters.</summary>
    public static LoadedRun Bandwidth(RunStore store, string rig = "sim:blog-3x3090", double scale = 1.0, Func<RigDescription, RigDescription>? change = null, string? note = null, JsonObject? spec = null, IReadOnlyDictionary<string, string>? peerParams = null)
    {
        using var opened = RigSelector.Open(rig);
        var description = change is null ? opened.Describe() : change(opened.Describe());
        using var run = store.Create("bandwidth", spec ?? new JsonObject { ["rig"] = rig, ["sizeBytes"] = 268435456 }, description);
        var size = new Dictionary<string, string> { ["size_bytes"] = "268435456" };
        foreach (var gpu in description.Gpus)
        {
            run.Write(ResultRow.Ok("bandwidth", "host_to_device_pinned", gpu.Index, null, "bandwidth", 12.5 * scale + gpu.Index * 0.1, "GB/s", description.Source, size));
        }

        foreach (var pair in description.PeerPairs)
        {
            var p = new Dictionary<string, string>(size) { ["p2p"] = "on" };
            foreach (var (key, value) in peerParams ?? new Dictionary<string, string>())
            {
                p[key] = value;
            }

            run.Write(ResultRow.Ok("bandwidth", "peer_unidirectional", pair.From, pair.To, "bandwidth", 10.0 * scale + pair.From, "GB/s", description.Source, p) with { Note = note });
        }

        run.Complete(new Dictionary<string, string> { ["peakGBps"] = (12.7 * scale).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return store.Load(run.Id);
    }

    /// <summary>The same description with a changed GPU identity: UUID, serial, and the host's name.</summary>
    public static RigDescription WithIdentity(RigDescription rig, string hostname, IReadOnlyList<string> uuids, IReadOnlyList<string>? serials = null) => rig with
    {
        Gpus = rig.Gpus.Select((g, i) => g with { Uuid = uuids[i % uuids.Count], Serial = serials?[i % serials.Count] }).ToList(),
        Platform = rig.Platform with { Hostname = hostname },
    };
}
