using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RigNotebooks.Data;
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

    /// <summary>Every readable run, newest first. Damaged folders are skipped and reported, never thrown.</summary>
    public IReadOnlyList<LoadedRun> List(List<string>? problems = null)
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        var runs = new List<LoadedRun>();
        foreach (var folder in Directory.EnumerateDirectories(Root).Order(StringComparer.Ordinal))
        {
            if (!File.Exists(Path.Combine(folder, RunFiles.RunJson)))
            {
                continue;
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
        if (Directory.Exists(idOrPath) && File.Exists(Path.Combine(idOrPath, RunFiles.RunJson)))
        {
            return Path.GetFullPath(idOrPath);
        }

        var exact = Path.Combine(Root, idOrPath);
        if (Directory.Exists(exact))
        {
            return exact;
        }

        var matches = Directory.Exists(Root)
            ? Directory.EnumerateDirectories(Root).Where(d => Path.GetFileName(d).StartsWith(idOrPath, StringComparison.Ordinal)).ToList()
            : [];
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new RigInputException($"No run '{idOrPath}' in {Root}. `rig runs list` shows the runs there."),
            _ => throw new RigInputException($"'{idOrPath}' matches {matches.Count} runs in {Root}; give more of the id."),
        };
    }

    /// <summary>Rewrites a run's metadata (notes, tags); the rows are never touched.</summary>
    public LoadedRun Update(string idOrPath, Func<RunRecord, RunRecord> change)
    {
        var run = Load(idOrPath);
        RunFiles.WriteRecord(run.Folder, change(run.Record));
        return Load(run.Folder);
    }

    public static LoadedRun LoadFolder(string folder)
    {
        var label = Path.Combine(folder, RunFiles.RunJson);
        string json;
        try
        {
            json = File.ReadAllText(label);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RigInputException($"Cannot read {label}: {ex.Message}", ex);
        }

        RunRecord record;
        try
        {
            record = JsonSerializer.Deserialize<RunRecord>(json, KitJson.Compact)
                ?? throw new InputFileException(label, "$", "the document is null");
        }
        catch (JsonException ex)
        {
            throw new InputFileException(label, ex.Path ?? "$", ex.Message.Split(" Path:", 2)[0], ex);
        }
        catch (NotSupportedException ex)
        {
            throw new InputFileException(label, "$", ex.Message.Split(" Path:", 2)[0], ex);
        }

        if (record.Status == RunStatus.Running && !WriterIsAlive(record))
        {
            record = record with { Status = RunStatus.Aborted, Error = record.Error ?? "the process writing this run died before it ended" };
        }

        var dropped = new List<string>();
        var rowsPath = Path.Combine(folder, RunFiles.RowsCsv);
        var rows = File.Exists(rowsPath) ? RowsCsv.Parse(ReadShared(rowsPath), dropped) : [];
        if (!File.Exists(rowsPath))
        {
            dropped.Add("rows.csv is missing");
        }

        return new LoadedRun(Path.GetFullPath(folder), record, rows, dropped);
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
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
