using System.Globalization;
using System.Text;
using RigNotebooks.Errors;
using RigNotebooks.Model;

namespace RigNotebooks.Results;

/// <summary>The long-format rows.csv: one line per row, RFC 4180 quoting, invariant numbers, parameters as k=v;k=v.</summary>
public static class RowsCsv
{
    public const string Header = "time_utc,experiment,case,gpu,peer,metric,value,unit,status,source,params,note";

    private static readonly string[] Columns = Header.Split(',');

    /// <summary>One row as a CSV line (without the newline).</summary>
    /// <exception cref="ArgumentException">A parameter key or value that k=v;k=v cannot carry (a ';' anywhere, '=' in a key,
    /// an empty key): such a row could not be read back, so it is refused before it is written.</exception>
    public static string Format(ResultRow row)
    {
        foreach (var (key, value) in row.Parameters)
        {
            if (key.Length == 0 || key.Contains(';', StringComparison.Ordinal) || key.Contains('=', StringComparison.Ordinal) || value.Contains(';', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Row parameter '{key}={value}' cannot be written: keys must be non-empty without ';' or '=', values without ';'.", nameof(row));
            }
        }

        var fields = new[]
        {
            row.TimeUtc.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            row.Experiment,
            row.Case,
            row.Gpu?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            row.Peer?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            row.Metric,
            double.IsNaN(row.Value) ? string.Empty : row.Value.ToString("R", CultureInfo.InvariantCulture),
            row.Unit,
            row.Status.ToString().ToLowerInvariant(),
            row.Source.ToString().ToLowerInvariant(),
            FormatParameters(row.Parameters),
            row.Note ?? string.Empty,
        };
        return string.Join(',', fields.Select(Quote));
    }

    /// <summary>Parameters as rows.csv writes them: <c>k=v;k=v</c>, keys in ordinal order.</summary>
    public static string FormatParameters(IReadOnlyDictionary<string, string> parameters) =>
        string.Join(';', parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    /// <summary>Parses the text of a rows.csv. Lines that cannot be read (a truncated last line after a crash, a damaged
    /// line in the middle) are reported in <paramref name="dropped"/> as "line N: problem", never thrown; every
    /// other line is kept. Columns are found by their header names, so a newer kit's extra columns are ignored.</summary>
    public static List<ResultRow> Parse(string text, List<string> dropped)
    {
        var rows = new List<ResultRow>();
        if (text.Length == 0)
        {
            dropped.Add("line 1: the file is empty (not even the header was written)");
            return rows;
        }

        var records = SplitRecords(text, dropped);
        int[]? map = null;
        var width = 0;
        foreach (var (line, fields) in records)
        {
            if (map is null)
            {
                if (line != 1)
                {
                    dropped.Add("line 1: the header cannot be read, so no row can be");
                    return rows;
                }

                if (MapHeader(fields, out map) is { } headerProblem)
                {
                    dropped.Add($"line 1: {headerProblem}; no row can be read without it (expected '{Header}')");
                    return rows;
                }

                width = fields.Count;
                continue;
            }

            if (fields.Count != width)
            {
                dropped.Add($"line {line}: {fields.Count} fields, expected {width}");
            }
            else if (TryParse(fields, map, out var row, out var why))
            {
                rows.Add(row);
            }
            else
            {
                dropped.Add($"line {line}: {why}");
            }
        }

        return rows;
    }

    private static string? MapHeader(List<string> fields, out int[]? map)
    {
        map = null;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Count; i++)
        {
            var name = fields[i].Trim().TrimStart('\uFEFF');
            if (!index.TryAdd(name, i))
            {
                return $"column '{InputGuard.Excerpt(name)}' appears twice";
            }
        }

        var missing = Columns.Where(c => !index.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            return $"not the rows.csv header: column(s) {string.Join(", ", missing)} missing";
        }

        map = Columns.Select(c => index[c]).ToArray();
        return null;
    }

    private static bool TryParse(IReadOnlyList<string> all, int[] map, out ResultRow row, out string why)
    {
        row = null!;
        var f = map.Select(i => all[i]).ToArray();
        if (!DateTimeOffset.TryParse(f[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            why = $"time_utc '{InputGuard.Excerpt(f[0])}' is not a time";
            return false;
        }

        if (f[1].Length == 0 || f[5].Length == 0)
        {
            why = f[1].Length == 0 ? "experiment is empty" : "metric is empty";
            return false;
        }

        if (!TryIndex(f[3], "gpu", out var gpu, out why) || !TryIndex(f[4], "peer", out var peer, out why))
        {
            return false;
        }

        var value = double.NaN;
        if (f[6].Length > 0 && !double.TryParse(f[6], NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            why = $"value '{InputGuard.Excerpt(f[6])}' is not a number";
            return false;
        }

        if (!Enum.TryParse<RowStatus>(f[8], ignoreCase: true, out var status) || !Enum.IsDefined(status) || !IsName(f[8]))
        {
            why = $"status '{InputGuard.Excerpt(f[8])}' is not one of {string.Join(", ", Enum.GetNames<RowStatus>()).ToLowerInvariant()}";
            return false;
        }

        if (!Enum.TryParse<DataSource>(f[9], ignoreCase: true, out var source) || !Enum.IsDefined(source) || !IsName(f[9]))
        {
            why = $"source '{InputGuard.Excerpt(f[9])}' is not one of {string.Join(", ", Enum.GetNames<DataSource>()).ToLowerInvariant()}";
            return false;
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (f[10].Length > 0)
        {
            foreach (var pair in f[10].Split(';'))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    why = $"params entry '{InputGuard.Excerpt(pair)}' is not key=value";
                    return false;
                }

                if (!parameters.TryAdd(pair[..eq], pair[(eq + 1)..]))
                {
                    why = $"params key '{InputGuard.Excerpt(pair[..eq])}' is given twice";
                    return false;
                }
            }
        }

        row = new ResultRow(time, f[1], f[2], gpu, peer, f[5], value, f[7], status, source, parameters, f[11].Length > 0 ? f[11] : null);
        why = string.Empty;
        return true;
    }

    private static bool TryIndex(string text, string column, out int? index, out string why)
    {
        index = null;
        why = string.Empty;
        if (text.Length == 0)
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            why = $"{column} '{InputGuard.Excerpt(text)}' is not a GPU index (a whole number, 0 or more)";
            return false;
        }

        index = value;
        return true;
    }

    /// <summary>Enum names only: Enum.TryParse also takes numbers ("1") and lists ("ok, hung").</summary>
    private static bool IsName(string text) => text.Length > 0 && text.All(char.IsAsciiLetter);

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;

    /// <summary>Splits CSV text into records (1-based line of each record's start), honouring quotes. A quote opens a
    /// quoted field only at the start of a field; elsewhere it is an ordinary character. A last record without its
    /// newline is dropped as incomplete (the writer ends every row with one). A quoted field that never closes is
    /// dropped with its line, and reading resumes on the next line, so one damaged line cannot swallow the rest.</summary>
    private static List<(int Line, List<string> Fields)> SplitRecords(string text, List<string> dropped)
    {
        var records = new List<(int, List<string>)>();
        var position = 0;
        var line = 1;
        while (position < text.Length)
        {
            var recordLine = line;
            var recordStart = position;
            var fields = new List<string>();
            var field = new StringBuilder();
            var inQuotes = false;
            var fieldStart = true;
            var complete = false;
            var i = position;
            for (; i < text.Length && !complete; i++)
            {
                var c = text[i];
                if (inQuotes)
                {
                    if (c == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i++;
                        }
                        else
                        {
                            inQuotes = false;
                        }
                    }
                    else
                    {
                        if (c == '\n')
                        {
                            line++;
                        }

                        field.Append(c);
                    }

                    continue;
                }

                switch (c)
                {
                    case '"' when fieldStart:
                        inQuotes = true;
                        fieldStart = false;
                        break;
                    case ',':
                        fields.Add(field.ToString());
                        field.Clear();
                        fieldStart = true;
                        break;
                    case '\r':
                        break;
                    case '\n':
                        fields.Add(field.ToString());
                        line++;
                        complete = true;
                        break;
                    default:
                        field.Append(c);
                        fieldStart = false;
                        break;
                }
            }

            if (complete)
            {
                records.Add((recordLine, fields));
                position = i;
                continue;
            }

            var rest = text[recordStart..];
            var firstNewline = rest.IndexOf('\n', StringComparison.Ordinal);
            if (inQuotes && firstNewline >= 0)
            {
                // A quote opened on this line never closes: drop this line only and read on from the next one.
                dropped.Add($"line {recordLine}: a quoted field is never closed; the line was skipped");
                position = recordStart + firstNewline + 1;
                line = recordLine + 1;
                continue;
            }

            if (rest.Trim().Length > 0)
            {
                dropped.Add($"line {recordLine}: incomplete last line ('{InputGuard.Excerpt(rest)}'), probably cut off when the run died");
            }

            break;
        }

        return records;
    }
}
