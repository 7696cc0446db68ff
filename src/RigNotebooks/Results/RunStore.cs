using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RigNotebooks.Errors;
using RigNotebooks.Model;

namespace RigNotebooks.Results;

/// <summary>A folder of runs (default <c>./results</c>): one sub-folder per run with run.json and rows.csv.</summary>
public sealed partial class RunStore(string root)
{
    public const string DefaultRoot = "results";

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>Fails early, before any work starts, when the folder cannot be created or written.</summary>
    public void EnsureWritable()
    {
        try
        {
            Directory.CreateDirectory(Root);
            var probe = Path.Combine(Root, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RigInputException($"The results folder '{Root}' is not writable ({ex.Message}). Choose another with --results <dir>.", ex);
        }
    }

    public RunWriter Create(string experiment, JsonObject spec, RigDescription rig)
    {
        EnsureWritable();
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var rigPart = Unsafe().Replace(rig.RigId, "-").Trim('-');
        for (var attempt = 0; ; attempt++)
        {
            var id = $"{stamp}-{experiment}-{rigPart}-{Random.Shared.Next(0x10000):x4}";
            var folder = Path.Combine(Root, id);
            try
            {
                Directory.CreateDirectory(Root);
                if (Directory.Exists(folder))
                {
                    continue;
                }

                Directory.CreateDirectory(folder);
                return new RunWriter(folder, RunWriter.NewRecord(id, experiment, spec, rig));
            }
            catch (IOException) when (attempt < 5)
            {
            }
        }
    }

    /// <summary>Every readable run, newest first. Damaged folders are skipped and reported (file, place, problem),
    /// never thrown, so one bad run never hides the others.</summary>
    public IReadOnlyList<LoadedRun> List(List<string>? problems = null)
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        List<string> folders;
        try
        {
            folders = Directory.EnumerateDirectories(Root).Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems?.Add($"Cannot list {Root}: {ex.Message}");
            return [];
        }

        var runs = new List<LoadedRun>();
        foreach (var folder in folders)
        {
            if (Path.GetFileName(folder).StartsWith('.') || !File.Exists(Path.Combine(folder, RunFiles.RunJson)))
            {
                continue; // not a run, or a run still being added
            }

            try
            {
                runs.Add(LoadFolder(folder));
            }
            catch (RigInputException ex)
            {
                problems?.Add(ex.Message);
            }
        }

        return runs.OrderByDescending(r => r.Record.StartedUtc).ToList();
    }

    /// <summary>A run by id, by unique id prefix, or by folder path.</summary>
    public LoadedRun Load(string idOrPath) => LoadFolder(Resolve(idOrPath));

    public string Resolve(string idOrPath)
    {
        if (string.IsNullOrWhiteSpace(idOrPath))
        {
            throw new RigInputException("No run given: name a run by its id (or a unique prefix of it), or by its folder.");
        }

        if (Directory.Exists(idOrPath) && File.Exists(Path.Combine(idOrPath, RunFiles.RunJson)))
        {
            return Path.GetFullPath(idOrPath);
        }

        if (RunRecordReader.CheckId(idOrPath) is not null)
        {
            throw new RigInputException($"No run '{idOrPath}': it is neither a run folder nor a run id in {Root}.");
        }

        var exact = Path.Combine(Root, idOrPath);
        if (Directory.Exists(exact))
        {
            return exact;
        }

        List<string> matches;
        try
        {
            matches = Directory.Exists(Root)
                ? Directory.EnumerateDirectories(Root).Where(d => Path.GetFileName(d).StartsWith(idOrPath, StringComparison.Ordinal)).ToList()
                : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RigInputException($"Cannot list {Root}: {ex.Message}", ex);
        }

        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new RigInputException($"No run '{idOrPath}' in {Root}. `rig runs list` shows the runs there."),
            _ => throw new RigInputException($"'{idOrPath}' matches {matches.Count} runs in {Root}; give more of the id."),
        };
    }

    /// <summary>Rewrites a run's metadata (notes, tags); the rows are never touched. A run still being written is
    /// refused: its writer keeps its own copy of run.json and would overwrite the change when it ends.</summary>
    public LoadedRun Update(string idOrPath, Func<RunRecord, RunRecord> change)
    {
        var run = Load(idOrPath);
        if (run.Record.Status == RunStatus.Running)
        {
            throw new RigInputException($"Run {run.Id} is still being written (process {run.Record.WriterPid}); change it after it ends.");
        }

        var changed = change(run.Record);
        if (changed.Id != run.Record.Id)
        {
            throw new InvalidOperationException("A run's id cannot change.");
        }

        RunFiles.WriteRecord(run.Folder, changed);
        return Load(run.Folder);
    }

    /// <summary>True when a run folder of this id exists.</summary>
    public bool Contains(string id) => RunRecordReader.CheckId(id) is null && Directory.Exists(Path.Combine(Root, id));

    /// <summary>Adds a finished run from elsewhere (an archive): written to a hidden folder first and moved into place,
    /// so a failure never leaves half a run; refused when a run of that id exists.</summary>
    public LoadedRun Add(RunRecord record, byte[] rowsCsv)
    {
        if (RunRecordReader.CheckId(record.Id) is { } problem)
        {
            throw new RigInputException($"Cannot add the run: {problem}.");
        }

        EnsureWritable();
        var target = Path.Combine(Root, record.Id);
        if (Directory.Exists(target))
        {
            throw new RigInputException($"A run {record.Id} already exists in {Root}.");
        }

        var staging = Path.Combine(Root, $".adding-{Guid.NewGuid():n}");
        try
        {
            Directory.CreateDirectory(staging);
            RunFiles.WriteRecord(staging, record);
            File.WriteAllBytes(Path.Combine(staging, RunFiles.RowsCsv), rowsCsv);
            Directory.Move(staging, target);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(staging);
            throw Directory.Exists(target)
                ? new RigInputException($"A run {record.Id} already exists in {Root}.", ex)
                : new RigInputException($"Cannot write run {record.Id} into {Root}: {ex.Message}", ex);
        }

        return LoadFolder(target);
    }

    /// <summary>Removes a run folder that <see cref="Add"/> wrote, when a larger operation (an import of several runs) fails part-way.</summary>
    internal void RemoveAdded(string id)
    {
        if (RunRecordReader.CheckId(id) is null)
        {
            TryDelete(Path.Combine(Root, id));
        }
    }

    /// <summary>Reads a run folder. A run.json that cannot be used throws an <see cref="InputFileException"/> naming the
    /// file, the JSON path and the problem; rows that cannot be read are dropped and listed, never thrown.</summary>
    public static LoadedRun LoadFolder(string folder)
    {
        var label = Path.Combine(folder, RunFiles.RunJson);
        var record = InputGuard.Read(label, () => RunRecordReader.Parse(File.ReadAllText(label), label));
        if (record.Status == RunStatus.Running && !WriterIsAlive(record))
        {
            record = record with { Status = RunStatus.Aborted, Error = record.Error ?? "the process writing this run died before it ended" };
        }

        var dropped = new List<string>();
        var rowsPath = Path.Combine(folder, RunFiles.RowsCsv);
        List<ResultRow> rows = [];
        if (!File.Exists(rowsPath))
        {
            dropped.Add($"{RunFiles.RowsCsv} is missing: the run has no rows");
        }
        else
        {
            try
            {
                var lineProblems = new List<string>();
                rows = RowsCsv.Parse(ReadShared(rowsPath), lineProblems);
                dropped.AddRange(lineProblems.Select(p => $"{RunFiles.RowsCsv} {p}"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                dropped.Add($"{RunFiles.RowsCsv} cannot be read ({ex.Message}): the run's rows are not shown");
            }
        }

        return new LoadedRun(Path.GetFullPath(folder), record, rows, dropped);
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // best effort: a leftover hidden folder is ignored by List
        }
    }

    private static bool WriterIsAlive(RunRecord record)
    {
        if (record.WriterPid is not { } pid)
        {
            return false;
        }

        if (record.WriterHost is { } host && !string.Equals(host, Environment.MachineName, StringComparison.Ordinal))
        {
            return true; // written on another machine: we cannot tell, so do not call it aborted
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited)
            {
                return false;
            }

            return record.WriterStartedUtc is not { } started
                || Math.Abs((process.StartTime.ToUniversalTime() - started).TotalSeconds) < 2;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    [GeneratedRegex("[^A-Za-z0-9_.-]+")]
    private static partial Regex Unsafe();
}
