using System.Globalization;
using System.Text;
using RigNotebooks.Model;

namespace RigNotebooks.Results;

/// <summary>The long-format rows.csv: one line per row, RFC 4180 quoting, invariant numbers, parameters as k=v;k=v.</summary>
public static class RowsCsv
{
    public const string Header = "time_utc,experiment,case,gpu,peer,metric,value,unit,status,source,params,note";

    private static readonly string[] Columns = Header.Split(',');

    public static string Format(ResultRow row)
    {
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
            string.Join(';', row.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")),
            row.Note ?? string.Empty,
        };
        return string.Join(',', fields.Select(Quote));
    }

    /// <summary>Parses the text of a rows.csv. Lines that cannot be read (a truncated last line after a crash) are
    /// reported in <paramref name="dropped"/> with their line number and reason, never thrown.</summary>
    public static List<ResultRow> Parse(string text, List<string> dropped)
    {
        var rows = new List<ResultRow>();
        var records = SplitRecords(text, out var trailingIncomplete);
        var lineNumber = 0;
        foreach (var (line, fields) in records)
        {
            lineNumber = line;
            if (line == 1)
            {
                if (string.Join(',', fields) != Header)
                {
                    dropped.Add($"line 1: not the rows.csv header (expected '{Header}')");
                    return rows;
                }

                continue;
            }

            if (TryParse(fields, out var row, out var why))
            {
                rows.Add(row);
            }
            else
            {
                dropped.Add($"line {line}: {why}");
            }
        }

        if (trailingIncomplete is { } partial)
        {
            dropped.Add($"line {lineNumber + 1}: incomplete last line ('{Truncate(partial)}'), probably cut off when the run died");
        }

        return rows;
    }

    private static bool TryParse(IReadOnlyList<string> f, out ResultRow row, out string why)
    {
        row = null!;
        if (f.Count != Columns.Length)
        {
            why = $"{f.Count} fields, expected {Columns.Length}";
            return false;
        }

        if (!DateTimeOffset.TryParse(f[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            why = $"time_utc '{Truncate(f[0])}' is not a time";
            return false;
        }

        int? gpu = null, peer = null;
        if (f[3].Length > 0)
        {
            if (!int.TryParse(f[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var g))
            {
                why = $"gpu '{Truncate(f[3])}' is not a whole number";
                return false;
            }

            gpu = g;
        }

        if (f[4].Length > 0)
        {
            if (!int.TryParse(f[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out var p))
            {
                why = $"peer '{Truncate(f[4])}' is not a whole number";
                return false;
            }

            peer = p;
        }

        var value = double.NaN;
        if (f[6].Length > 0 && !double.TryParse(f[6], NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            why = $"value '{Truncate(f[6])}' is not a number";
            return false;
        }

        if (!Enum.TryParse<RowStatus>(f[8], ignoreCase: true, out var status) || !Enum.IsDefined(status))
        {
            why = $"status '{Truncate(f[8])}' is not one of {string.Join(", ", Enum.GetNames<RowStatus>()).ToLowerInvariant()}";
            return false;
        }

        if (!Enum.TryParse<DataSource>(f[9], ignoreCase: true, out var source) || !Enum.IsDefined(source))
        {
            why = $"source '{Truncate(f[9])}' is not one of {string.Join(", ", Enum.GetNames<DataSource>()).ToLowerInvariant()}";
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
                    why = $"params entry '{Truncate(pair)}' is not key=value";
                    return false;
                }

                parameters[pair[..eq]] = pair[(eq + 1)..];
            }
        }

        row = new ResultRow(time, f[1], f[2], gpu, peer, f[5], value, f[7], status, source, parameters, f[11].Length > 0 ? f[11] : null);
        why = string.Empty;
        return true;
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;

    /// <summary>Splits CSV text into records (1-based line of each record's start), honouring quotes.
    /// A last record without its newline is returned separately: the writer always ends a row with one.</summary>
    private static List<(int Line, List<string> Fields)> SplitRecords(string text, out string? trailingIncomplete)
    {
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var line = 1;
        var recordLine = 1;
        var recordStart = 0;
        for (var i = 0; i < text.Length; i++)
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
                case '"':
                    inQuotes = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add((recordLine, fields));
                    fields = [];
                    line++;
                    recordLine = line;
                    recordStart = i + 1;
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }

        trailingIncomplete = recordStart < text.Length && text[recordStart..].Trim().Length > 0 ? text[recordStart..] : null;
        return records;
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
