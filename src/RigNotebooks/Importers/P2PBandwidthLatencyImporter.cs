using System.Globalization;
using System.Text.RegularExpressions;
using RigNotebooks.Errors;
using RigNotebooks.Model;
using RigNotebooks.Results;

namespace RigNotebooks.Importers;

/// <summary>
/// p2pBandwidthLatencyTest (CUDA samples) output into bandwidth rows: its unidirectional and bidirectional bandwidth
/// and GPU latency matrices, P2P disabled and enabled (row = source GPU, column = destination). The diagonal is a
/// copy within one GPU and is left out; the CPU latency matrices are the host's view and are left out. Where the
/// connectivity matrix says a pair has no peer access, the tool's "P2P=Enabled" figure is really a staged copy, so
/// that cell becomes a waived row that says so rather than a P2P number.
/// </summary>
public static partial class P2PBandwidthLatencyImporter
{
    public const string Tool = "p2pBandwidthLatencyTest";

    public static ImportResult Import(string text, string file)
    {
        var lines = ToolText.Lines(text);
        var gpus = new SortedDictionary<int, string>();
        int[][]? connectivity = null;
        var matrices = new List<(Section Section, double[][] Values, int Line)>();
        var skipped = new List<string>();

        for (var i = 0; i < lines.Count; i++)
        {
            var (number, raw) = lines[i];
            var line = raw.Trim();
            if (DeviceLine().Match(line) is { Success: true } device)
            {
                gpus[ToolText.Index(device.Groups[1].Value, number, file)] = device.Groups[2].Value.Trim();
                continue;
            }

            if (line.StartsWith("P2P Connectivity Matrix", StringComparison.Ordinal))
            {
                var at = i;
                connectivity = ReadMatrix(lines, ref i, line, file).Select(r => r.Select(v => v is 0 or 1
                    ? (int)v
                    : throw new InputFileException(file, $"line {lines[at].Number}", $"the P2P Connectivity Matrix holds {v.ToString(CultureInfo.InvariantCulture)}; it holds only 0 (no peer access) and 1"))
                    .ToArray()).ToArray();
                continue;
            }

            if (SectionOf(line) is { } section)
            {
                matrices.Add((section, ReadMatrix(lines, ref i, line, file), number));
            }
        }

        if (matrices.Count == 0)
        {
            throw new InputFileException(file, "line 1", "no p2pBandwidthLatencyTest results: no 'Unidirectional/Bidirectional ... Matrix' or 'Latency Matrix' section was found");
        }

        var rows = new List<ResultRow>();
        foreach (var (section, values, line) in matrices)
        {
            var parameters = new Dictionary<string, string> { ["tool"] = Tool, ["p2p"] = section.P2P ? "on" : "off" };
            if (section.Method is { } method)
            {
                parameters["method"] = method;
            }

            for (var r = 0; r < values.Length; r++)
            {
                for (var c = 0; c < values[r].Length; c++)
                {
                    if (r == c)
                    {
                        continue;
                    }

                    var noAccess = section.P2P && connectivity is not null && r < connectivity.Length && c < connectivity[r].Length && connectivity[r][c] == 0;
                    if (noAccess)
                    {
                        rows.Add(ResultRow.NotMeasured(RowStatus.Waived, "bandwidth", section.Case, r, c, section.Metric, section.Unit, DataSource.Imported,
                            $"no peer access (connectivity 0): the tool fell back to a staged copy and printed {values[r][c].ToString(CultureInfo.InvariantCulture)} {section.Unit}, not a P2P figure",
                            parameters));
                        continue;
                    }

                    rows.Add(ResultRow.Ok("bandwidth", section.Case, r, c, section.Metric, values[r][c], section.Unit, DataSource.Imported, parameters));
                }
            }

            skipped.Add($"line {line}: the diagonal of '{section.Title}' (copies within one GPU)");
        }

        if (connectivity is null)
        {
            skipped.Add("no P2P Connectivity Matrix: P2P=Enabled figures are taken as P2P even where the pair may lack peer access");
        }

        return new ImportResult(Tool, "text", "bandwidth", rows, skipped, new ImportedMachine(gpus.Values.ToList(), null, null, null, null));
    }

    /// <summary>Reads the header (D\D, GPU 0 1 ...) and rows after a title; for latency sections only the GPU block.</summary>
    private static double[][] ReadMatrix(List<(int Number, string Text)> lines, ref int i, string title, string file)
    {
        var j = i + 1;
        var header = j < lines.Count ? ToolText.Tokens(lines[j].Text) : [];
        if (header.Length < 2 || !header.Skip(1).All(t => ToolText.TryInt(t, out _)))
        {
            throw new InputFileException(file, $"line {(j < lines.Count ? lines[j].Number : lines[i].Number)}", $"expected a column header like 'D\\D 0 1' after '{title}'");
        }

        var columns = header.Length - 1;
        var rows = new List<double[]>();
        for (j++; j < lines.Count; j++)
        {
            var tokens = ToolText.Tokens(lines[j].Text);
            if (tokens.Length == 0 || !ToolText.TryInt(tokens[0], out var index) || index != rows.Count)
            {
                break;
            }

            if (tokens.Length - 1 != columns)
            {
                throw new InputFileException(file, $"line {lines[j].Number}", $"row {index} of '{title}' has {tokens.Length - 1} values; the header has {columns} columns");
            }

            var values = new double[columns];
            for (var c = 0; c < columns; c++)
            {
                if (!ToolText.TryDouble(tokens[c + 1], out values[c]))
                {
                    throw new InputFileException(file, $"line {lines[j].Number}", $"'{tokens[c + 1]}' in row {index} of '{title}' is not a number");
                }
            }

            rows.Add(values);
        }

        if (rows.Count != columns)
        {
            throw new InputFileException(file, $"line {lines[Math.Min(j, lines.Count - 1)].Number}", $"'{title}' has {rows.Count} rows for {columns} columns: the output is cut off or garbled");
        }

        i = j - 1;
        return [.. rows];
    }

    private static Section? SectionOf(string line)
    {
        var p2p = line.Contains("P2P=Enabled", StringComparison.Ordinal);
        if (!p2p && !line.Contains("P2P=Disabled", StringComparison.Ordinal))
        {
            return null;
        }

        var method = !p2p ? null : line.Contains("P2P Reads", StringComparison.Ordinal) ? "read" : line.Contains("P2P Writes", StringComparison.Ordinal) ? "write" : null;
        if (line.StartsWith("Unidirectional", StringComparison.Ordinal) && line.Contains("Bandwidth", StringComparison.Ordinal))
        {
            return new Section(line, "peer_unidirectional", "bandwidth", "GB/s", p2p, method);
        }

        if (line.StartsWith("Bidirectional", StringComparison.Ordinal) && line.Contains("Bandwidth", StringComparison.Ordinal))
        {
            return new Section(line, "peer_bidirectional", "bandwidth", "GB/s", p2p, method);
        }

        return line.Contains("Latency", StringComparison.Ordinal) ? new Section(line, "peer_latency", "latency", "us", p2p, method) : null;
    }

    private sealed record Section(string Title, string Case, string Metric, string Unit, bool P2P, string? Method);

    [GeneratedRegex(@"^Device:\s*(\d+),\s*([^,]+),")]
    private static partial Regex DeviceLine();
}
