using System.Text.RegularExpressions;
using RigNotebooks.Data;
using RigNotebooks.Errors;

namespace RigNotebooks.Results;

/// <summary>Reads run.json strictly about types, nulls and required fields (each problem named with file and JSON
/// path), but tolerant of fields it does not know, so a run written by a newer kit still opens.</summary>
public static partial class RunRecordReader
{
    public static RunRecord Parse(string json, string fileLabel) => InputGuard.Read(fileLabel, () =>
    {
        var record = StrictJsonReader.Read<RunRecord>(json, fileLabel, allowUnknownFields: true);
        if (CheckId(record.Id) is { } idProblem)
        {
            throw new InputFileException(fileLabel, "$.id", idProblem);
        }

        if (string.IsNullOrWhiteSpace(record.Experiment))
        {
            throw new InputFileException(fileLabel, "$.experiment", "must not be empty");
        }

        if (record.Status == RunStatus.Imported && record.Provenance is null)
        {
            throw new InputFileException(fileLabel, "$.provenance", "an imported run must say where it came from");
        }

        return record;
    });

    /// <summary>Why a run id cannot be used (it names a folder, so it must be one safe path segment), or null.</summary>
    public static string? CheckId(string id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "a run id must not be empty";
        }

        if (id.Length > 200)
        {
            return $"a run id must be at most 200 characters (this one has {id.Length})";
        }

        if (id is "." or ".." || id.StartsWith('.') || !SafeId().IsMatch(id))
        {
            return $"'{InputGuard.Excerpt(id)}' is not a run id (letters, digits, '-', '_' and '.', not starting with '.')";
        }

        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex SafeId();
}
