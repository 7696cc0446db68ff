using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RigNotebooks.Results;
using RigNotebooks.Results.Sharing;
using RigNotebooks.Tests.TestSupport;

namespace RigNotebooks.Tests.Readers;

/// <summary>Archives: a damaged archive is imported whole or refused precisely, and never leaves part of itself behind
/// or touches the runs already in the results folder.</summary>
public class ArchiveReaderProperties
{
    private static readonly Lazy<(byte[] Zip, List<(string Name, byte[] Bytes)> Entries, string[] Ids)> Valid = new(() =>
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        var a = TestRuns.Bandwidth(store, note: "a, \"quoted\"\nnote");
        var b = TestRuns.Bandwidth(store, "sim:blog-4x3090", scale: 0.7);
        var path = temp.File("runs.zip");
        RunArchive.Export([a, b], path);
        return (File.ReadAllBytes(path), ArchiveEntries.Read(path), [a.Id, b.Id]);
    });

    public static Gen<byte[]> DamagedBytes() =>
        Gen.Frequency(
            (1, Gen.Choose(0, 10_000).Select(f => Valid.Value.Zip[..(int)((long)f * Valid.Value.Zip.Length / 10_000)])),
            (3, Gen.ListOf(Gen.Zip(Gen.Choose(0, Valid.Value.Zip.Length - 1), Gen.Choose(0, 255)), 4).Select(flips =>
            {
                var bytes = (byte[])Valid.Value.Zip.Clone();
                foreach (var (at, value) in flips)
                {
                    bytes[at] = (byte)value;
                }

                return bytes;
            })));

    /// <summary>A valid zip in which one entry (manifest, a run.json or a rows.csv) is damaged.</summary>
    public static Gen<(string Entry, List<(string Name, byte[] Bytes)> Entries)> DamagedEntry() =>
        Gen.Choose(0, Valid.Value.Entries.Count - 1).SelectMany(i =>
        {
            var (name, bytes) = Valid.Value.Entries[i];
            return ReaderContract.Mutated(Encoding.UTF8.GetString(bytes)).Select(text =>
                (name, Valid.Value.Entries.Select((e, j) => j == i ? (e.Name, Encoding.UTF8.GetBytes(text)) : e).ToList()));
        });

    [Property(MaxTest = 80)]
    public Property Damaged_zip_bytes_are_imported_whole_or_refused_precisely() =>
        Prop.ForAll(DamagedBytes().ToArbitrary(), bytes =>
        {
            ImportChecked(path => File.WriteAllBytes(path, bytes));
        });

    [Property(MaxTest = 120)]
    public Property Damaged_entries_are_imported_whole_or_refused_precisely() =>
        Prop.ForAll(DamagedEntry().ToArbitrary(), damaged =>
        {
            var imported = ImportChecked(path => ArchiveEntries.Write(path, damaged.Entries));
            if (damaged.Entry.EndsWith(RunFiles.RowsCsv, StringComparison.Ordinal) || damaged.Entry.EndsWith(".html", StringComparison.Ordinal))
            {
                Assert.True(imported, $"a damaged {damaged.Entry} must not block the import: rows that can be read are kept");
            }
        });

    /// <summary>Imports into a folder holding one unrelated run; checks the contract, all-or-nothing, and that the
    /// unrelated run is untouched. Returns whether the archive was accepted.</summary>
    private static bool ImportChecked(Action<string> writeArchive)
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.File("results"));
        var keeper = TestRuns.Bandwidth(store, "sim:bifurcated-4x4");
        var keeperBytes = Directory.GetFiles(keeper.Folder).Order().Select(File.ReadAllBytes).ToList();
        var archive = temp.File("runs.zip");
        writeArchive(archive);

        var accepted = ReaderContract.ReadsOrRejectsPrecisely(() => RunArchive.Import(archive, store), "runs.zip");

        var present = Valid.Value.Ids.Count(store.Contains);
        Assert.Equal(accepted ? Valid.Value.Ids.Length : 0, present);
        Assert.Equal(accepted ? 3 : 1, Directory.GetDirectories(store.Root).Length); // no half-added or hidden folder left
        Assert.Equal(keeperBytes, Directory.GetFiles(keeper.Folder).Order().Select(File.ReadAllBytes).ToList());
        if (accepted)
        {
            Assert.All(Valid.Value.Ids, id => Assert.Equal(RunStatus.Imported, store.Load(id).Record.Status));
        }

        return accepted;
    }
}
