using System.IO.Compression;
using System.Text;
using System.Text.Json;
using RigNotebooks.Data;
using RigNotebooks.Errors;

namespace RigNotebooks.Results.Sharing;

/// <summary>
/// One self-contained zip of runs to post or send: <c>manifest.json</c>, <c>index.html</c>, and per run
/// <c>runs/&lt;id&gt;/run.json</c>, <c>rows.csv</c> and an offline <c>summary.html</c>. Import reads it back into a
/// results folder, all runs or none, marked <see cref="RunStatus.Imported"/> with their provenance.
/// </summary>
public static class RunArchive
{
    public const string ManifestEntry = "manifest.json";
    public const string IndexEntry = "index.html";

    /// <summary>Caps on what an archive may make us read, whatever its headers claim (a zip bomb stays a small problem).</summary>
    public const long MaxEntryBytes = 1L << 30;
    public const int MaxEntries = 20_000;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string RunFolder(string id) => $"runs/{id}/";

    public static ExportResult Export(IReadOnlyList<LoadedRun> runs, string outPath, ExportOptions? options = null)
    {
        options ??= new ExportOptions();
        if (runs.Count == 0)
        {
            throw new RigInputException("Nothing to export: name at least one run.");
        }

        if (runs.GroupBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new RigInputException($"Run {twice.Key} is named more than once.");
        }

        var target = Path.GetFullPath(outPath);
        if (Directory.Exists(target))
        {
            throw new RigInputException($"'{outPath}' is a folder; give a file name for the archive, e.g. --out runs.zip.");
        }

        if (File.Exists(target) && !options.Overwrite)
        {
            throw new RigInputException($"'{outPath}' already exists; choose another name or pass --force to replace it.");
        }

        var anonymizer = options.Anonymize ? options.Anonymizer ?? Anonymizer.ForThisMachine() : null;
        if (anonymizer is not null)
        {
            foreach (var run in runs)
            {
                anonymizer.Learn(run.Record, run.Rows);
            }
        }

        var entries = new List<(string Name, byte[] Bytes)>();
        var manifestRuns = new List<ArchiveRun>();
        var records = new Dictionary<string, RunRecord>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            RunRecord record;
            IReadOnlyList<ResultRow> rows;
            byte[] rowsBytes;
            IReadOnlyList<string> dropped;
            if (anonymizer is null)
            {
                record = run.Record;
                rows = run.Rows;
                rowsBytes = ReadRowsFile(run);
                dropped = run.Dropped;
            }
            else
            {
                record = anonymizer.Scrub(run.Record);
                rows = run.Rows.Select(anonymizer.Scrub).ToList();
                rowsBytes = Encoding.UTF8.GetBytes(RowsCsv.Header + "\n" + string.Concat(rows.Select(r => RowsCsv.Format(r) + "\n")));
                dropped = run.Dropped.Count == 0 ? [] : [$"{run.Dropped.Count} line(s) of rows.csv could not be read and were left out of this anonymised export"];
            }

            var folder = RunFolder(record.Id);
            entries.Add((folder + RunFiles.RunJson, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record, KitJson.Indented))));
            entries.Add((folder + RunFiles.RowsCsv, rowsBytes));
            entries.Add((folder + "summary.html", Encoding.UTF8.GetBytes(Scrub(anonymizer, RunHtmlSummary.Render(record, rows, dropped)))));
            manifestRuns.Add(new ArchiveRun(record.Id, record.Experiment, rows.Count, anonymizer is null ? 0 : run.Dropped.Count));
            records[record.Id] = record;
        }

        var manifest = new ArchiveManifest
        {
            Format = ArchiveManifest.FormatName,
            Version = ArchiveManifest.CurrentVersion,
            ExportedWith = SoftwareVersions.KitVersion,
            ExportedUtc = DateTimeOffset.UtcNow,
            Anonymized = anonymizer is not null,
            Runs = manifestRuns,
            Aliases = anonymizer?.Aliases ?? [],
        };
        entries.Insert(0, (ManifestEntry, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(manifest, KitJson.Indented))));
        entries.Insert(1, (IndexEntry, Encoding.UTF8.GetBytes(Scrub(anonymizer, RunHtmlSummary.RenderIndex(manifest, records)))));

        if (anonymizer is not null)
        {
            Verify(anonymizer, entries);
        }

        var bytes = Write(target, entries, manifest.ExportedUtc);
        return new ExportResult(target, manifestRuns, anonymizer is not null, manifest.Aliases, bytes);
    }

    /// <summary>Reads an archive and adds its runs to <paramref name="store"/>: every run or none. Refused, with nothing
    /// written, when the archive is damaged or a run of the same id is already there.</summary>
    public static ImportResult Import(string archivePath, RunStore store)
    {
        var label = Path.GetFileName(archivePath);
        if (!File.Exists(archivePath))
        {
            throw new RigInputException($"No archive at '{archivePath}'.");
        }

        var (manifest, runs) = InputGuard.Read(archivePath, () => ReadArchive(archivePath, label));
        var collisions = runs.Where(r => store.Contains(r.Record.Id)).Select(r => r.Record.Id).ToList();
        if (collisions.Count > 0)
        {
            throw new RigInputException(
                $"Nothing was imported: {string.Join(", ", collisions)} already exist{(collisions.Count == 1 ? "s" : "")} in {store.Root}. " +
                "An archive is imported once; to bring it in again, move the existing run folder(s) away or import into another folder with --results.");
        }

        var added = new List<ImportedRun>();
        try
        {
            foreach (var (record, rowsBytes, dropped) in runs)
            {
                var imported = record with
                {
                    Status = RunStatus.Imported,
                    Provenance = new RunProvenance(DateTimeOffset.UtcNow, label, record.Status, manifest.Anonymized, manifest.ExportedUtc, manifest.ExportedWith),
                };
                var run = store.Add(imported, rowsBytes);
                added.Add(new ImportedRun(run.Id, run.Record.Experiment, run.Rows.Count, dropped));
            }
        }
        catch (RigInputException)
        {
            foreach (var run in added)
            {
                store.RemoveAdded(run.Id);
            }

            throw;
        }

        return new ImportResult(Path.GetFullPath(archivePath), added, manifest.Anonymized);
    }

    private static (ArchiveManifest Manifest, List<(RunRecord Record, byte[] Rows, IReadOnlyList<string> Dropped)> Runs) ReadArchive(string path, string label)
    {
        using var stream = File.OpenRead(path);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read);
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException or ArgumentException)
        {
            throw new InputFileException(label, "the file", $"not a zip archive of runs, or a damaged one ({ex.Message})", ex);
        }

        using (zip)
        {
            IReadOnlyCollection<ZipArchiveEntry> all;
            try
            {
                all = zip.Entries; // the central directory is read here, and may be damaged
            }
            catch (Exception ex) when (ex is InvalidDataException or NotSupportedException or ArgumentException)
            {
                throw new InputFileException(label, "the zip directory", $"damaged ({ex.Message})", ex);
            }

            if (all.Count > MaxEntries)
            {
                throw new InputFileException(label, "the file", $"{all.Count} entries; an archive of runs has at most {MaxEntries}");
            }

            var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            foreach (var entry in all)
            {
                if (CheckEntryName(entry.FullName) is { } problem)
                {
                    throw new InputFileException(label, $"entry '{InputGuard.Excerpt(entry.FullName, 80)}'", problem);
                }

                if (!entry.FullName.EndsWith('/') && !entries.TryAdd(entry.FullName, entry))
                {
                    throw new InputFileException(label, $"entry '{entry.FullName}'", "appears twice");
                }
            }

            if (!entries.TryGetValue(ManifestEntry, out var manifestEntry))
            {
                throw new InputFileException(label, "the file", $"no {ManifestEntry}: not an archive written by `rig runs export`");
            }

            var manifestLabel = $"{label}!{ManifestEntry}";
            var manifest = StrictJsonReader.Read<ArchiveManifest>(ReadText(manifestEntry, manifestLabel), manifestLabel, allowUnknownFields: true);
            if (manifest.Format != ArchiveManifest.FormatName)
            {
                throw new InputFileException(manifestLabel, "$.format", $"'{InputGuard.Excerpt(manifest.Format)}' is not '{ArchiveManifest.FormatName}'");
            }

            if (manifest.Version < 1 || manifest.Version > ArchiveManifest.CurrentVersion)
            {
                throw new InputFileException(manifestLabel, "$.version", $"version {manifest.Version} is not one this kit reads (1 to {ArchiveManifest.CurrentVersion}); update RigNotebooks");
            }

            if (manifest.Runs.Count == 0)
            {
                throw new InputFileException(manifestLabel, "$.runs", "the archive holds no runs");
            }

            var runs = new List<(RunRecord, byte[], IReadOnlyList<string>)>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < manifest.Runs.Count; i++)
            {
                var id = manifest.Runs[i].Id;
                if (RunRecordReader.CheckId(id) is { } idProblem)
                {
                    throw new InputFileException(manifestLabel, $"$.runs[{i}].id", idProblem);
                }

                if (!ids.Add(id))
                {
                    throw new InputFileException(manifestLabel, $"$.runs[{i}].id", $"run {id} is listed twice");
                }

                var folder = RunFolder(id);
                var recordLabel = $"{label}!{folder}{RunFiles.RunJson}";
                var rowsLabel = $"{label}!{folder}{RunFiles.RowsCsv}";
                if (!entries.TryGetValue(folder + RunFiles.RunJson, out var recordEntry))
                {
                    throw new InputFileException(recordLabel, "the entry", "is missing");
                }

                if (!entries.TryGetValue(folder + RunFiles.RowsCsv, out var rowsEntry))
                {
                    throw new InputFileException(rowsLabel, "the entry", "is missing");
                }

                var record = RunRecordReader.Parse(ReadText(recordEntry, recordLabel), recordLabel);
                if (record.Id != id)
                {
                    throw new InputFileException(recordLabel, "$.id", $"'{InputGuard.Excerpt(record.Id)}' does not match its folder '{id}'");
                }

                var rowsBytes = ReadBytes(rowsEntry, rowsLabel);
                var dropped = new List<string>();
                RowsCsv.Parse(Decode(rowsBytes, rowsLabel), dropped);
                runs.Add((record, rowsBytes, dropped.Select(d => $"{RunFiles.RowsCsv} {d}").ToList()));
            }

            return (manifest, runs);
        }
    }

    /// <summary>Why an entry name cannot be unpacked safely, or null: no absolute paths, no '..', no backslashes.</summary>
    public static string? CheckEntryName(string name)
    {
        if (name.Length == 0 || name.Length > 400)
        {
            return "has an empty or overlong name";
        }

        if (name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal) || name.Any(char.IsControl))
        {
            return "has a name that is not a plain relative path";
        }

        return name.Split('/').Any(part => part is "." or "..") ? "has a name that climbs out of the archive ('..')" : null;
    }

    private static string ReadText(ZipArchiveEntry entry, string label) => Decode(ReadBytes(entry, label), label);

    private static string Decode(byte[] bytes, string label)
    {
        try
        {
            var text = StrictUtf8.GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException ex)
        {
            throw new InputFileException(label, $"byte {ex.Index}", "not UTF-8 text", ex);
        }
    }

    private static byte[] ReadBytes(ZipArchiveEntry entry, string label)
    {
        if (entry.Length > MaxEntryBytes)
        {
            throw new InputFileException(label, "the entry", $"{entry.Length} bytes, more than the {MaxEntryBytes} this kit reads");
        }

        try
        {
            using var source = entry.Open();
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = source.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + n > MaxEntryBytes)
                {
                    throw new InputFileException(label, "the entry", $"unpacks to more than {MaxEntryBytes} bytes");
                }

                buffer.Write(chunk, 0, n);
            }

            return buffer.ToArray();
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException or IOException)
        {
            throw new InputFileException(label, "the entry", $"is damaged and cannot be unpacked ({ex.Message})", ex);
        }
    }

    private static byte[] ReadRowsFile(LoadedRun run)
    {
        var path = Path.Combine(run.Folder, RunFiles.RowsCsv);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The run loaded without its rows file (missing or unreadable): export the rows that were read, if any.
            return Encoding.UTF8.GetBytes(RowsCsv.Header + "\n" + string.Concat(run.Rows.Select(r => RowsCsv.Format(r) + "\n")));
        }
    }

    private static string Scrub(Anonymizer? anonymizer, string text) => anonymizer is null ? text : anonymizer.Scrub(text);

    /// <summary>The last line of defence: no learned identifier may remain in any entry, its name included.</summary>
    private static void Verify(Anonymizer anonymizer, List<(string Name, byte[] Bytes)> entries)
    {
        foreach (var (name, bytes) in entries)
        {
            var leaks = anonymizer.FindLeaks(name).Concat(anonymizer.FindLeaks(Encoding.UTF8.GetString(bytes))).ToList();
            if (leaks.Count > 0)
            {
                throw new RigInputException(
                    $"Export stopped, nothing was written: {leaks.Count} identifier(s) could not be removed from {name}. Please report this as a bug.");
            }
        }
    }

    /// <summary>Writes the zip beside the target and moves it into place, so a failure never leaves half an archive.
    /// Entry times are the export time in UTC (a zip stores local time, which would tell the exporter's time zone).</summary>
    private static long Write(string target, List<(string Name, byte[] Bytes)> entries, DateTimeOffset exportedUtc)
    {
        var folder = Path.GetDirectoryName(target)!;
        var temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():n}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
            {
                foreach (var (name, bytes) in entries)
                {
                    var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                    entry.LastWriteTime = new DateTimeOffset(exportedUtc.UtcDateTime.Ticks, TimeSpan.Zero);
                    using var output = entry.Open();
                    output.Write(bytes);
                }
            }

            File.Move(temp, target, overwrite: true);
            return new FileInfo(target).Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // the temporary file is hidden and named as such; nothing else to do
            }

            throw new RigInputException($"Cannot write the archive '{target}': {ex.Message}", ex);
        }
    }
}
