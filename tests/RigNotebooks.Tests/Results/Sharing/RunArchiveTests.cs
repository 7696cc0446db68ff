using System.Text;
using RigNotebooks.Errors;
using RigNotebooks.Results;
using RigNotebooks.Results.Comparison;
using RigNotebooks.Results.Sharing;
using RigNotebooks.Tests.TestSupport;

namespace RigNotebooks.Tests.Results.Sharing;

public class RunArchiveTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Export_import_compare_round_trip_shows_zero_deltas(bool anonymize)
    {
        using var temp = new TempFolder();
        var home = new RunStore(Path.Combine(temp.Path, "home"));
        var a = TestRuns.Bandwidth(home, "sim:blog-3x3090");
        var b = TestRuns.Bandwidth(home, "sim:blog-3x3090-iommu", scale: 0.2);
        home.AddNote(a.Id, "driver 535");
        home.AddTags(b.Id, ["iommu-on"]);
        var archive = Path.Combine(temp.Path, "runs.zip");

        var export = RunArchive.Export([home.Load(a.Id), home.Load(b.Id)], archive, new ExportOptions(Anonymize: anonymize, Anonymizer: anonymize ? new Anonymizer() : null));
        var away = new RunStore(Path.Combine(temp.Path, "away"));
        var import = RunArchive.Import(archive, away);

        Assert.Equal(export.Runs.Select(r => r.Id), import.Runs.Select(r => r.Id));
        Assert.Equal(anonymize, import.Anonymized);
        foreach (var original in new[] { home.Load(a.Id), home.Load(b.Id) })
        {
            var imported = away.Load(original.Id);
            Assert.Equal(RunStatus.Imported, imported.Record.Status);
            Assert.Equal(RunStatus.Completed, imported.Record.Provenance!.OriginalStatus);
            Assert.Equal("runs.zip", imported.Record.Provenance.Archive);
            Assert.Equal(original.Record.Notes, imported.Record.Notes);
            Assert.Equal(original.Record.Tags, imported.Record.Tags);
            Assert.Empty(imported.Dropped);

            var c = RunComparer.Compare([original, imported]);
            Assert.Equal(original.Rows.Count, c.Rows.Count);
            Assert.All(c.Rows, r => Assert.False(r.Changed, r.Key.Label));
            Assert.All(c.Rows, r => Assert.Equal(0, r.Values[1].DeltaAbs));
            Assert.Equal([DifferenceCategory.Provenance], c.Environment.Select(e => e.Category));
        }
    }

    [Fact]
    public void The_archive_holds_a_manifest_an_index_and_per_run_json_rows_and_an_offline_summary()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        var run = TestRuns.Bandwidth(store);
        var archive = temp.File("out.zip");
        RunArchive.Export([run], archive);

        var entries = ArchiveEntries.Read(archive).ToDictionary(e => e.Name, e => e.Text());
        Assert.Equal(["index.html", "manifest.json", $"runs/{run.Id}/rows.csv", $"runs/{run.Id}/run.json", $"runs/{run.Id}/summary.html"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllText(Path.Combine(run.Folder, RunFiles.RowsCsv)), entries[$"runs/{run.Id}/rows.csv"]);
        var html = entries[$"runs/{run.Id}/summary.html"];
        Assert.Contains("SIMULATED", html, StringComparison.Ordinal);
        Assert.Contains("host_to_device_pinned", html, StringComparison.Ordinal);
        foreach (var page in new[] { html, entries["index.html"] })
        {
            Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("http://", page, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("https://", page, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains($"href=\"runs/{run.Id}/summary.html\"", entries["index.html"], StringComparison.Ordinal);
    }

    [Fact]
    public void Importing_twice_is_refused_clearly_and_changes_nothing()
    {
        using var temp = new TempFolder();
        var store = new RunStore(Path.Combine(temp.Path, "a"));
        var first = TestRuns.Bandwidth(store);
        var second = TestRuns.Bandwidth(store, scale: 2);
        var archive = temp.File("x.zip");
        RunArchive.Export([first, second], archive);

        var target = new RunStore(Path.Combine(temp.Path, "b"));
        RunArchive.Import(archive, target);
        Directory.Delete(Path.Combine(target.Root, second.Id), recursive: true); // one of the two is still there
        var before = Directory.GetFileSystemEntries(target.Root, "*", SearchOption.AllDirectories).Order().ToList();

        var ex = Assert.Throws<RigInputException>(() => RunArchive.Import(archive, target));

        Assert.StartsWith($"Nothing was imported: {first.Id} already exists in {target.Root}", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFileSystemEntries(target.Root, "*", SearchOption.AllDirectories).Order().ToList());
    }

    [Fact]
    public void Export_refuses_to_overwrite_unless_asked_and_refuses_a_run_named_twice()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        var run = TestRuns.Bandwidth(store);
        var archive = temp.File("x.zip");
        File.WriteAllText(archive, "keep me");
        Assert.Contains("already exists", Assert.Throws<RigInputException>(() => RunArchive.Export([run], archive)).Message, StringComparison.Ordinal);
        Assert.Equal("keep me", File.ReadAllText(archive));
        Assert.Throws<RigInputException>(() => RunArchive.Export([run, run], temp.File("y.zip")));
        RunArchive.Export([run], archive, new ExportOptions(Overwrite: true));
        Assert.Single(RunArchive.Import(archive, new RunStore(temp.File("other"))).Runs);
    }

    [Fact]
    public void Damaged_archives_are_refused_with_the_file_entry_and_problem()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        var run = TestRuns.Bandwidth(store);
        var good = temp.File("good.zip");
        RunArchive.Export([run], good);
        var entries = ArchiveEntries.Read(good);
        var target = new RunStore(temp.File("target"));

        InputFileException Refused(string name, IEnumerable<(string, byte[])> content)
        {
            var path = temp.File(name);
            ArchiveEntries.Write(path, content);
            var ex = Assert.Throws<InputFileException>(() => RunArchive.Import(path, target));
            Assert.False(Directory.Exists(target.Root) && Directory.EnumerateFileSystemEntries(target.Root).Any());
            return ex;
        }

        File.WriteAllText(temp.File("text.zip"), "not a zip");
        var notZip = Assert.Throws<InputFileException>(() => RunArchive.Import(temp.File("text.zip"), target));
        Assert.Equal(("text.zip", "the file"), (notZip.File, notZip.JsonPath));

        Assert.Contains("no manifest.json", Refused("nomanifest.zip", entries.Where(e => e.Name != "manifest.json")).Problem, StringComparison.Ordinal);

        var slip = Refused("slip.zip", entries.Append(("../../evil.txt", [1])));
        Assert.Equal("entry '../../evil.txt'", slip.JsonPath);

        var badJson = Refused("badjson.zip", entries.Select(e => e.Name.EndsWith("run.json", StringComparison.Ordinal)
            ? (e.Name, Encoding.UTF8.GetBytes(e.Text().Replace("\"driverVersion\": \"535.154.05\"", "\"driverVersion\": 535", StringComparison.Ordinal)))
            : e));
        Assert.Equal($"badjson.zip!runs/{run.Id}/run.json", badJson.File);
        Assert.Equal("$.rig.driverVersion", badJson.JsonPath);

        var wrongFormat = Refused("format.zip", entries.Select(e => e.Name == "manifest.json"
            ? (e.Name, Encoding.UTF8.GetBytes(e.Text().Replace("rignotebooks-runs", "something-else", StringComparison.Ordinal)))
            : e));
        Assert.Equal("$.format", wrongFormat.JsonPath);

        var notUtf8 = Refused("bytes.zip", entries.Select(e => e.Name == "manifest.json" ? (e.Name, new byte[] { 0x7b, 0xff, 0xfe }) : e));
        Assert.Equal("not UTF-8 text", notUtf8.Problem);
    }

    [Fact]
    public void A_truncated_rows_file_in_an_archive_imports_what_is_intact_and_says_what_was_dropped()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        var run = TestRuns.Bandwidth(store);
        var good = temp.File("good.zip");
        RunArchive.Export([run], good);
        var cut = temp.File("cut.zip");
        ArchiveEntries.Write(cut, ArchiveEntries.Read(good).Select(e => e.Name.EndsWith("rows.csv", StringComparison.Ordinal) ? (e.Name, e.Bytes[..^20]) : e));

        var imported = Assert.Single(RunArchive.Import(cut, new RunStore(temp.File("target"))).Runs);
        Assert.Equal(run.Rows.Count - 1, imported.Rows);
        Assert.Contains("incomplete last line", Assert.Single(imported.Dropped), StringComparison.Ordinal);
    }
}
