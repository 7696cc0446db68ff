using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using RigNotebooks.Errors;
using RigNotebooks.Model;
using RigNotebooks.Results;

namespace RigNotebooks.Importers;

/// <summary>
/// nvbandwidth output, as text or as <c>-j</c> JSON, into bandwidth rows. Host copies become
/// host_to_device_pinned / device_to_host_pinned (nvbandwidth's host buffers are pinned), device-to-device memcpy
/// tests become peer cases with p2p=on (nvbandwidth only runs them between GPUs with peer access; N/A cells are
/// waived rows), latency is converted from ns to us. The matrix orientation is read from each matrix's title
/// ("GPU(row) -> GPU(column)" vs "&lt;-"), because it changed between versions.
/// </summary>
public static partial class NvbandwidthImporter
{
    public const string Tool = "nvbandwidth";

    public static ImportResult ImportText(string text, string file)
    {
        var lines = ToolText.Lines(text);
        var testcases = new List<Testcase>();
        string? version = null, driver = null, cuda = null, running = null;
        var gpus = new SortedDictionary<int, string>();
        Matrix? pending = null;

        void Flush(string? name, int line)
        {
            if (pending is null)
            {
                return;
            }

            var testName = name ?? running;
            if (testName is null)
            {
                throw new InputFileException(file, $"line {pending.Line}", "a bandwidth matrix without a test name: no 'Running <test>.' line before it and no 'SUM <test>' line after it");
            }

            testcases.Add(new Testcase(testName, "Passed", pending.Title, pending.Rows, null, $"line {pending.Line}"));
            pending = null;
            running = null;
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var (number, raw) = lines[i];
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (RunningLine().Match(line) is { Success: true } run)
            {
                Flush(null, number);
                running = run.Groups[1].Value;
                continue;
            }

            if (SumLine().Match(line) is { Success: true } sum)
            {
                Flush(sum.Groups[1].Value, number);
                continue;
            }

            if (line.StartsWith("Waived", StringComparison.OrdinalIgnoreCase) && running is not null && pending is null)
            {
                testcases.Add(new Testcase(running, "Waived", null, null, null, $"line {number}"));
                running = null;
                continue;
            }

            if (line.StartsWith("memcpy ", StringComparison.OrdinalIgnoreCase) || line.StartsWith("memory latency", StringComparison.OrdinalIgnoreCase))
            {
                Flush(null, number);
                pending = ReadMatrix(lines, ref i, line, number, file);
                continue;
            }

            if (VersionLine().Match(line) is { Success: true } v)
            {
                version = v.Groups[1].Value.Trim();
            }
            else if (DriverLine().Match(line) is { Success: true } d)
            {
                driver = d.Groups[1].Value.Trim();
            }
            else if (CudaLine().Match(line) is { Success: true } c)
            {
                cuda = c.Groups[1].Value.Trim();
            }
            else if (DeviceLine().Match(line) is { Success: true } dev)
            {
                gpus[ToolText.Index(dev.Groups[1].Value, number, file)] = dev.Groups[2].Value.Trim();
            }
        }

        Flush(null, lines.Count);
        if (testcases.Count == 0)
        {
            throw new InputFileException(file, "line 1", "no nvbandwidth results: neither a 'Running <test>.' block nor a bandwidth matrix was found");
        }

        return Map(testcases, "text", new ImportedMachine(gpus.Values.ToList(), driver, cuda, version, null), file);
    }

    public static ImportResult ImportJson(string text, string file)
    {
        using var document = JsonSlice.Parse(text, file);
        if (!document.RootElement.TryGetProperty("nvbandwidth", out var root) || root.ValueKind != JsonValueKind.Object)
        {
            throw new InputFileException(file, "$", "no \"nvbandwidth\" object: this is not nvbandwidth -j output");
        }

        if (!root.TryGetProperty("testcases", out var cases) || cases.ValueKind != JsonValueKind.Array)
        {
            var error = root.TryGetProperty("error", out var e) ? $" (nvbandwidth reported: {e})" : string.Empty;
            throw new InputFileException(file, "$.nvbandwidth.testcases", $"missing or not an array{error}");
        }

        var testcases = new List<Testcase>();
        var index = 0;
        foreach (var tc in cases.EnumerateArray())
        {
            var path = $"$.nvbandwidth.testcases[{index++}]";
            var name = String(tc, "name", path, file) ?? throw new InputFileException(file, $"{path}.name", "missing");
            var status = String(tc, "status", path, file) ?? throw new InputFileException(file, $"{path}.status", "missing");
            var description = String(tc, "bandwidth_description", path, file);
            var error = String(tc, "error", path, file);
            List<IReadOnlyList<string>>? matrix = null;
            if (tc.TryGetProperty("bandwidth_matrix", out var m))
            {
                matrix = ReadJsonMatrix(m, $"{path}.bandwidth_matrix", file);
            }

            testcases.Add(new Testcase(name, status, description, matrix, error, path));
        }

        return Map(testcases, "json", new ImportedMachine(
            [],
            String(root, "Driver Version", "$.nvbandwidth", file),
            root.TryGetProperty("CUDA Runtime Version", out var cuda) ? cuda.ToString() : null,
            String(root, "version", "$.nvbandwidth", file),
            null), file);
    }

    private static Matrix ReadMatrix(List<(int Number, string Text)> lines, ref int i, string title, int titleLine, string file)
    {
        var j = i + 1;
        while (j < lines.Count && lines[j].Text.Trim().Length == 0)
        {
            j++;
        }

        var header = j < lines.Count ? ToolText.Tokens(lines[j].Text) : [];
        if (header.Length == 0 || !header.All(t => ToolText.TryInt(t, out _)))
        {
            throw new InputFileException(file, $"line {(j < lines.Count ? lines[j].Number : titleLine)}", $"expected the column header (0 1 2 ...) after the matrix title '{title}'");
        }

        var rows = new List<IReadOnlyList<string>>();
        for (j++; j < lines.Count; j++)
        {
            var tokens = ToolText.Tokens(lines[j].Text);
            if (tokens.Length == 0 || !ToolText.TryInt(tokens[0], out var rowIndex) || rowIndex != rows.Count)
            {
                break;
            }

            if (tokens.Length - 1 != header.Length)
            {
                throw new InputFileException(file, $"line {lines[j].Number}", $"matrix row {rowIndex} has {tokens.Length - 1} values; the header above has {header.Length} columns");
            }

            rows.Add(tokens[1..]);
        }

        if (rows.Count == 0)
        {
            throw new InputFileException(file, $"line {lines[Math.Min(j, lines.Count - 1)].Number}", $"the matrix '{title}' has a header but no rows");
        }

        i = j - 1;
        return new Matrix(title, rows, titleLine);
    }

    private static List<IReadOnlyList<string>> ReadJsonMatrix(JsonElement m, string path, string file)
    {
        if (m.ValueKind != JsonValueKind.Array)
        {
            throw new InputFileException(file, path, "expected an array of rows");
        }

        var rows = new List<IReadOnlyList<string>>();
        var r = 0;
        foreach (var row in m.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array)
            {
                throw new InputFileException(file, $"{path}[{r}]", "expected an array of cells");
            }

            var cells = new List<string>();
            var c = 0;
            foreach (var cell in row.EnumerateArray())
            {
                cells.Add(cell.ValueKind switch
                {
                    JsonValueKind.String => cell.GetString()!,
                    JsonValueKind.Number => cell.GetRawText(),
                    _ => throw new InputFileException(file, $"{path}[{r}][{c}]", $"expected a number or \"N/A\", found {cell.ValueKind}"),
                });
                c++;
            }

            rows.Add(cells);
            r++;
        }

        if (rows.Count > 0 && rows.Any(x => x.Count != rows[0].Count))
        {
            throw new InputFileException(file, path, "rows of different lengths");
        }

        return rows;
    }

    private static string? String(JsonElement element, string property, string path, string file)
    {
        if (!element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new InputFileException(file, $"{path}.{property}", $"expected a string, found {value.ValueKind}");
    }

    private static ImportResult Map(List<Testcase> testcases, string format, ImportedMachine machine, string file)
    {
        var rows = new List<ResultRow>();
        var skipped = new List<string>();
        foreach (var tc in testcases)
        {
            var map = MapName(tc.Name);
            if (map is null)
            {
                skipped.Add($"{tc.Name} ({tc.Where}): no matching case in the kit");
                continue;
            }

            var (key, kind, parameters) = map.Value;
            switch (tc.Status.ToLowerInvariant())
            {
                case "waived":
                    rows.Add(ResultRow.NotMeasured(RowStatus.Waived, "bandwidth", key, null, null, Metric(kind), Unit(kind), DataSource.Imported, "waived by nvbandwidth", parameters));
                    continue;
                case "error":
                    rows.Add(ResultRow.NotMeasured(RowStatus.Failed, "bandwidth", key, null, null, Metric(kind), Unit(kind), DataSource.Imported, $"nvbandwidth error: {tc.Error ?? "no message"}", parameters));
                    continue;
                case "passed" when tc.Matrix is not null:
                    break;
                default:
                    skipped.Add($"{tc.Name} ({tc.Where}): status '{tc.Status}'{(tc.Matrix is null ? " and no matrix" : string.Empty)}");
                    continue;
            }

            rows.AddRange(MatrixRows(tc, key, kind, parameters, file));
        }

        return new ImportResult(Tool, format, "bandwidth", rows, skipped, machine);
    }

    private static IEnumerable<ResultRow> MatrixRows(Testcase tc, string key, Kind kind, Dictionary<string, string> parameters, string file)
    {
        var m = tc.Matrix!;
        var ns = tc.Description?.Contains("(ns)", StringComparison.OrdinalIgnoreCase) == true;
        var reversed = tc.Description?.Contains("<-", StringComparison.Ordinal) == true && tc.Description?.Contains("<->", StringComparison.Ordinal) != true;
        for (var r = 0; r < m.Count; r++)
        {
            for (var c = 0; c < m[r].Count; c++)
            {
                var cell = m[r][c];
                int? gpu, peer;
                if (kind is Kind.Host or Kind.Local)
                {
                    // One axis is the CPU (or a single row): the other one is the GPU.
                    var gpuIsColumn = m.Count == 1 || (m[0].Count > 1 && tc.Description?.Contains("GPU(column)", StringComparison.OrdinalIgnoreCase) == true);
                    (gpu, peer) = (gpuIsColumn ? c : r, null);
                }
                else
                {
                    if (r == c)
                    {
                        continue;
                    }

                    (gpu, peer) = reversed ? (c, r) : (r, c);
                }

                if (ToolText.IsNotAvailable(cell))
                {
                    var why = kind is Kind.Host or Kind.Local ? "nvbandwidth reported N/A" : "nvbandwidth reported N/A: no peer access between these GPUs";
                    yield return ResultRow.NotMeasured(RowStatus.Waived, "bandwidth", key, gpu, peer, Metric(kind), Unit(kind), DataSource.Imported, why, parameters);
                    continue;
                }

                if (!ToolText.TryDouble(cell, out var value))
                {
                    throw new InputFileException(file, $"{tc.Where}: matrix [{r}][{c}]", $"'{cell}' is neither a number nor N/A");
                }

                yield return ResultRow.Ok("bandwidth", key, gpu, peer, Metric(kind), ns ? value / 1000 : value, Unit(kind), DataSource.Imported, parameters);
            }
        }
    }

    private static (string Key, Kind Kind, Dictionary<string, string> Parameters)? MapName(string name)
    {
        var copy = name.EndsWith("_sm", StringComparison.Ordinal) ? "sm" : name.EndsWith("_ce", StringComparison.Ordinal) ? "ce" : null;
        Dictionary<string, string> P(params (string, string)[] extra)
        {
            var p = new Dictionary<string, string> { ["tool"] = Tool, ["test"] = name };
            if (copy is not null)
            {
                p["copy"] = copy;
            }

            foreach (var (k, v) in extra)
            {
                p[k] = v;
            }

            return p;
        }

        var method = name.Contains("_read", StringComparison.Ordinal) ? "read" : name.Contains("_write", StringComparison.Ordinal) ? "write" : null;
        return name switch
        {
            "host_to_device_memcpy_ce" or "host_to_device_memcpy_sm" => ("host_to_device_pinned", Kind.Host, P()),
            "device_to_host_memcpy_ce" or "device_to_host_memcpy_sm" => ("device_to_host_pinned", Kind.Host, P()),
            "device_local_copy" => ("device_local_copy", Kind.Local, P()),
            "device_to_device_latency_sm" => ("peer_latency", Kind.Latency, P(("p2p", "on"))),
            _ when name.StartsWith("device_to_device_memcpy_", StringComparison.Ordinal) && method is not null =>
                ("peer_unidirectional", Kind.Peer, P(("p2p", "on"), ("method", method))),
            _ when name.StartsWith("device_to_device_bidirectional_memcpy_", StringComparison.Ordinal) && method is not null =>
                ("peer_bidirectional", Kind.Peer, P(("p2p", "on"), ("method", method), ("direction", "one_way"))),
            _ => null,
        };
    }

    private static string Metric(Kind kind) => kind == Kind.Latency ? "latency" : "bandwidth";

    private static string Unit(Kind kind) => kind == Kind.Latency ? "us" : "GB/s";

    private enum Kind
    {
        Host,
        Local,
        Peer,
        Latency,
    }

    private sealed record Testcase(string Name, string Status, string? Description, IReadOnlyList<IReadOnlyList<string>>? Matrix, string? Error, string Where);

    private sealed record Matrix(string Title, List<IReadOnlyList<string>> Rows, int Line);

    [GeneratedRegex(@"^Running\s+(\S+?)\.?$")]
    private static partial Regex RunningLine();

    [GeneratedRegex(@"^SUM\s+(\S+)\s+\S+")]
    private static partial Regex SumLine();

    [GeneratedRegex(@"^nvbandwidth Version:\s*(.+)$")]
    private static partial Regex VersionLine();

    [GeneratedRegex(@"^Driver Version:\s*(.+)$")]
    private static partial Regex DriverLine();

    [GeneratedRegex(@"^CUDA Runtime Version:\s*(\d+)")]
    private static partial Regex CudaLine();

    [GeneratedRegex(@"^Device\s+(\d+):\s*(.+?)(\s+\([0-9A-Fa-f:.]+\))?$")]
    private static partial Regex DeviceLine();
}
