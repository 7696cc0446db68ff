using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RigNotebooks.Results;
using RigNotebooks.Results.Comparison;
using RigNotebooks.Results.Sharing;
using RigNotebooks.Tests.TestSupport;

namespace RigNotebooks.Tests.Results.Sharing;

/// <summary>An anonymised archive holds no original identifier in any byte of any entry (names included, content
/// decompressed), maps each identifier to one alias across all runs, and round-trips with zero deltas.</summary>
public class AnonymizedArchiveProperties
{
    public sealed record Identity(string Host, string WriterHost, string User, string[] Uuids, string[] Serials);

    public static Gen<Identity> Identities()
    {
        var alnum = "abcdefghijklmnopqrstuvwxyz0123456789".ToCharArray();
        Gen<string> Name(string prefix) => Gen.ArrayOf(Gen.Elements(alnum), 8).Select(c => prefix + new string(c));
        var uuid = Gen.ArrayOf(Gen.Choose(0, 255), 16).Select(b => "GPU-" + new Guid(b.Select(x => (byte)x).ToArray()).ToString());
        var serial = Gen.ArrayOf(Gen.Choose(0, 9), 12).Select(d => "1" + string.Concat(d));
        return from host in Name("qh")
               from writer in Gen.Elements(".lan", ".local", string.Empty).SelectMany(suffix => Name("qw").Select(n => n + suffix))
               from user in Name("qu")
               from uuids in Gen.ArrayOf(uuid, 3)
               from serials in Gen.ArrayOf(serial, 3)
               select new Identity(host, writer, user, uuids, serials);
    }

    [Property(MaxTest = 30)]
    public Property No_original_identifier_survives_anywhere_in_the_archive() =>
        Prop.ForAll(Identities().ToArbitrary(), id =>
        {
            using var temp = new TempFolder();
            var store = new RunStore(temp.File("results"));
            var profilePath = $"/home/{id.User}/rigs/my-rig.json";

            // The UUIDs also stand bare, as PyTorch prints them (torch.cuda.get_device_properties(i).uuid), in either case.
            var bare = id.Uuids.Select(u => u[4..]).ToArray();
            LoadedRun Make(string rig, double scale)
            {
                var run = TestRuns.Bandwidth(store, rig, scale,
                    change: r => TestRuns.WithIdentity(r, id.Host, id.Uuids, id.Serials),
                    note: $"card {id.Uuids[1].ToUpperInvariant()} in {id.Host}; profile {profilePath}; torch: {bare[2]}",
                    spec: new JsonObject { ["rig"] = $"sim:{profilePath}", ["host"] = id.Host, ["serial"] = id.Serials[2], ["torch_device"] = bare[1] },
                    peerParams: new Dictionary<string, string> { ["torch_uuid"] = bare[0].ToUpperInvariant(), [bare[2]] = "seen" });
                store.AddNote(run.Id, $"ran by {id.User} on {id.Host} ({id.Uuids[0]}), serial {id.Serials[0]}; torch saw {bare[0]}");
                store.AddNote(run.Id, bare[1]);
                store.AddTags(run.Id, [$"host:{id.Host}", bare[2]]);
                return store.Update(run.Id, r => r with { WriterHost = id.WriterHost });
            }

            var a = Make("sim:blog-3x3090", 1);
            var b = Make("sim:blog-4x3090", 0.5);
            var archive = temp.File("share.zip");
            RunArchive.Export([a, b], archive, new ExportOptions(Anonymize: true));

            var secrets = new[] { id.Host, id.WriterHost, id.WriterHost.Split('.')[0], id.User }.Concat(id.Uuids).Concat(id.Uuids.Select(u => u[4..])).Concat(id.Serials).ToList();
            var entries = ArchiveEntries.Read(archive);
            Assert.NotEmpty(entries);
            foreach (var (name, bytes) in entries)
            {
                var text = Encoding.UTF8.GetString(bytes);
                foreach (var secret in secrets)
                {
                    Assert.DoesNotContain(secret, name, StringComparison.OrdinalIgnoreCase);
                    Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
                }
            }

            var raw = Encoding.Latin1.GetString(File.ReadAllBytes(archive));
            Assert.All(secrets, s => Assert.DoesNotContain(s, raw, StringComparison.OrdinalIgnoreCase));

            // The same identifier has the same alias in every run and every place.
            var runA = RunRecordReader.Parse(entries.Single(e => e.Name == $"runs/{a.Id}/run.json").Text(), "a");
            var runB = RunRecordReader.Parse(entries.Single(e => e.Name == $"runs/{b.Id}/run.json").Text(), "b");
            Assert.Equal(runA.Rig.Gpus.Select(g => g.Uuid).Take(3), runB.Rig.Gpus.Select(g => g.Uuid).Take(3));
            Assert.Equal(runA.Rig.Hostname, runB.Rig.Hostname);
            Assert.Contains(runA.Rig.Gpus[0].Uuid, runB.Notes[0].Text, StringComparison.Ordinal);
            var rowsB = entries.Single(e => e.Name == $"runs/{b.Id}/rows.csv").Text();
            Assert.Contains(runA.Rig.Gpus[1].Uuid, rowsB, StringComparison.Ordinal);
            Assert.Equal(runA.Rig.Gpus[0].Serial, runB.Rig.Gpus[0].Serial);
            Assert.Equal([$"host:{runA.Rig.Hostname}", runA.Rig.Gpus[2].Uuid[4..]], runB.Tags);

            // A bare UUID gets the same alias as its GPU- form.
            Assert.EndsWith($"torch saw {runA.Rig.Gpus[0].Uuid[4..]}", runB.Notes[0].Text, StringComparison.Ordinal);
            Assert.Equal(runA.Rig.Gpus[1].Uuid[4..], runB.Notes[1].Text);
            Assert.Equal(runA.Rig.Gpus[1].Uuid[4..], runB.Spec["torch_device"]!.GetValue<string>());
            Assert.Contains($"torch_uuid={runA.Rig.Gpus[0].Uuid[4..]}", rowsB, StringComparison.Ordinal);
            Assert.Contains($"{runA.Rig.Gpus[2].Uuid[4..]}=seen", rowsB, StringComparison.Ordinal);

            // Everything else is kept: the numbers compare with zero deltas after import.
            var away = new RunStore(temp.File("away"));
            RunArchive.Import(archive, away);
            foreach (var original in new[] { a, b })
            {
                var imported = away.List().Single(r => r.Record.StartedUtc == original.Record.StartedUtc && r.Record.Rig.RigId == original.Record.Rig.RigId);
                // The identifying row parameters differ by design (original vs alias); everything else lines up.
                var c = RunComparer.Compare([original, imported], new ComparisonOptions(IgnoreParams: ["torch_uuid", bare[2], runA.Rig.Gpus[2].Uuid[4..]]));
                Assert.Equal(original.Rows.Count, c.Rows.Count);
                Assert.All(c.Rows, r => Assert.Equal(0, r.Values[1].DeltaAbs));
                Assert.Equal(original.Record.Rig.KernelCommandLine, imported.Record.Rig.KernelCommandLine);
            }
        });
}
