using System.Diagnostics;
using System.Text.Json;
using RigNotebooks.Data;
using RigNotebooks.Errors;

namespace RigNotebooks.Power;

/// <summary>The original power limits, written to disk before the first change so that they can be restored after a
/// crash or <c>kill -9</c> (<c>rig power restore</c>). Deleted once every limit is back.</summary>
public sealed record PowerJournal
{
    public required string RigId { get; init; }

    /// <summary>What changed the limits, e.g. "power sweep".</summary>
    public required string Purpose { get; init; }

    public required string Host { get; init; }

    public required int Pid { get; init; }

    /// <summary>When the writing process started, so a reused pid is not mistaken for it.</summary>
    public DateTimeOffset? ProcessStartedUtc { get; init; }

    public required DateTimeOffset CreatedUtc { get; init; }

    public required IReadOnlyList<JournalGpu> Gpus { get; init; }

    /// <summary>Whether the process that wrote this journal is still running (on this host); if so it restores the limits itself.</summary>
    public bool WriterIsAlive()
    {
        if (!string.Equals(Host, Environment.MachineName, StringComparison.Ordinal))
        {
            return false;
        }

        if (Pid == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var process = Process.GetProcessById(Pid);
            return !process.HasExited
                && (ProcessStartedUtc is not { } started || Math.Abs((process.StartTime.ToUniversalTime() - started).TotalSeconds) < 2);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

/// <summary>One GPU's limit before the change.</summary>
public sealed record JournalGpu
{
    public required int Index { get; init; }

    public required string Uuid { get; init; }

    public required double OriginalLimitW { get; init; }

    public required double MinW { get; init; }

    public required double MaxW { get; init; }
}

/// <summary>Where the journal lives and how it is written: atomically and flushed to disk, so a crash right after
/// writing it still leaves a readable file.</summary>
public static class PowerJournalFile
{
    /// <summary>Overrides the folder for journals (and the simulated rig's persisted state, see SimulationOptions).</summary>
    public const string StateDirVariable = Simulation.SimulationOptions.StateDirVariable;

    /// <summary>The folder for journals: $RIG_STATE_DIR, else $XDG_STATE_HOME/rignotebooks, else ~/.local/state/rignotebooks.</summary>
    public static string DefaultDirectory()
    {
        if (Environment.GetEnvironmentVariable(StateDirVariable) is { Length: > 0 } dir)
        {
            return Path.GetFullPath(dir);
        }

        if (Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } xdg)
        {
            return Path.Combine(xdg, "rignotebooks");
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state", "rignotebooks");
    }

    /// <summary>The journal file for a rig in a folder: <c>power-journal-&lt;rig&gt;.json</c>.</summary>
    public static string PathFor(string directory, string rigId)
    {
        var safe = new string(rigId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray()).Trim('-');
        return Path.Combine(directory, $"power-journal-{safe}.json");
    }

    /// <summary>The journal for a rig: a real rig's in <see cref="DefaultDirectory"/>; a simulated rig's next to its
    /// persisted state when it has a state folder, else a per-process temporary file (its limits live in memory and die with it).</summary>
    public static string DefaultPathFor(Rigs.IRig rig)
    {
        if (rig is Simulation.SimulatedRig sim)
        {
            return sim.Options.StateDirectory is { } dir
                ? PathFor(dir, rig.Id)
                : PathFor(Path.GetTempPath(), $"{rig.Id}-pid{Environment.ProcessId}");
        }

        return PathFor(DefaultDirectory(), rig.Id);
    }

    public static void Write(string path, PowerJournal journal)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var temp = path + ".tmp";
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, journal, KitJson.Indented);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RigEnvironmentException(
                $"Cannot write the power-limit journal {path} ({ex.Message}); no limit was changed. " +
                $"Choose a writable folder with --journal <file> or the {StateDirVariable} environment variable.", ex);
        }
    }

    /// <summary>The journal at a path, or null when there is none.</summary>
    public static PowerJournal? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return StrictJsonReader.Read<PowerJournal>(File.ReadAllText(path), path);
        }
        catch (IOException ex)
        {
            throw new RigEnvironmentException($"Cannot read the power-limit journal {path}: {ex.Message}", ex);
        }
    }

    public static void Delete(string path)
    {
        File.Delete(path);
        File.Delete(path + ".tmp");
    }

    /// <summary>Other journals in the same folder (to point the user at them when the named one is absent).</summary>
    public static IReadOnlyList<string> Siblings(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "power-journal-*.json").Where(p => !string.Equals(Path.GetFullPath(p), Path.GetFullPath(path), StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList()
            : [];
    }
}
