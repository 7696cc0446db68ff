using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using RigNotebooks.Bandwidth.Measurement;
using RigNotebooks.Errors;
using RigNotebooks.Model;
using RigNotebooks.Results;

namespace RigNotebooks.Importers;

/// <summary>
/// nccl-tests all_reduce_perf output, as text or as the <c>-J</c> JSON report (layout of nccl-tests' src/util.cu),
/// into allreduce rows: time, algbw, busbw and #wrong per size, out-of-place and in-place. The rank count comes from
/// the "Using devices" list; it is checked against busbw/algbw = 2(n−1)/n, so output of another collective is
/// refused rather than filed as all-reduce. NCCL_P2P_DISABLE in the JSON report's environment sets p2p=off.
/// </summary>
public static partial class NcclTestsImporter
{
    public const string Tool = "nccl-tests";

    private const double MaxExactCount = 9_007_199_254_740_992; // 2^53

    public static ImportResult ImportText(string text, string file)
    {
        var lines = ToolText.Lines(text);
        var ranks = new SortedDictionary<int, string>();
        var lineRecords = new List<Line>();
        var skipped = new List<string>();
        string? program = null;
        var errorColumn = false;
        string? host = null;

        foreach (var (number, raw) in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                if (RankLine().Match(line) is { Success: true } rank)
                {
                    ranks[ToolText.Index(rank.Groups[1].Value, number, file, "rank")] = rank.Groups[3].Value.Trim();
                    host ??= rank.Groups[2].Value;
                }
                else if (ProgramLine().Match(line) is { Success: true } p)
                {
                    program = p.Groups[1].Value;
                }
                else if (line.Contains("size", StringComparison.Ordinal) && line.Contains("redop", StringComparison.Ordinal))
                {
                    errorColumn = !line.Contains("#wrong", StringComparison.Ordinal) && line.Contains("error", StringComparison.Ordinal);
                }

                continue;
            }

            var tokens = ToolText.Tokens(line);
            if (tokens.Length < 12 || !ToolText.TryLong(tokens[0], out var size) || !ToolText.TryLong(tokens[1], out _))
            {
                continue;
            }

            var withRoot = tokens.Length >= 13 && ToolText.TryInt(tokens[4], out _);
            var first = withRoot ? 5 : 4;
            if (tokens.Length < first + 8)
            {
                throw new InputFileException(file, $"line {number}", $"a result line with {tokens.Length} fields; expected size, count, type, redop,{(withRoot ? " root," : string.Empty)} then time, algbw, busbw, #wrong twice");
            }

            lineRecords.Add(new Line(
                size,
                tokens[2],
                tokens[3],
                ReadPlace(tokens, first, number, file, errorColumn),
                ReadPlace(tokens, first + 4, number, file, errorColumn),
                $"line {number}"));
        }

        if (errorColumn)
        {
            skipped.Add("the old 'error' column (a maximum deviation, not a count of wrong elements) is not imported as #wrong");
        }

        return Build(lineRecords, ranks.Count == 0 ? null : ranks.Count, program, null, "text", skipped,
            new ImportedMachine(ranks.Values.Distinct().ToList(), null, null, null, host), file);
    }

    public static ImportResult ImportJson(string text, string file)
    {
        using var document = JsonSlice.Parse(text, file);
        var root = document.RootElement;
        if (!root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
        {
            throw new InputFileException(file, "$.results", "missing or not an array: this is not an nccl-tests -J report");
        }

        int? ranks = null;
        var names = new List<string>();
        string? host = null;
        if (root.TryGetProperty("config", out var config) && config.ValueKind == JsonValueKind.Object &&
            config.TryGetProperty("devices", out var devices) && devices.ValueKind == JsonValueKind.Array)
        {
            ranks = devices.GetArrayLength();
            foreach (var d in devices.EnumerateArray())
            {
                if (d.TryGetProperty("device_info", out var info) && info.ValueKind == JsonValueKind.String)
                {
                    names.Add(info.GetString()!.Trim());
                }

                if (host is null && d.TryGetProperty("hostname", out var h) && h.ValueKind == JsonValueKind.String)
                {
                    host = h.GetString();
                }
            }
        }

        string? p2p = null;
        if (root.TryGetProperty("env", out var env) && env.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in env.EnumerateArray())
            {
                if (e.ValueKind == JsonValueKind.String && e.GetString() is { } kv && kv.StartsWith("NCCL_P2P_DISABLE=", StringComparison.Ordinal))
                {
                    p2p = kv["NCCL_P2P_DISABLE=".Length..].Trim() is "" or "0" ? "on" : "off";
                }
            }
        }

        var lines = new List<Line>();
        string? experiment = null;
        var index = 0;
        foreach (var r in results.EnumerateArray())
        {
            var path = $"$.results[{index++}]";
            var size = Long(r, "size", path, file);
            var type = r.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "float";
            var redop = r.TryGetProperty("redop", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : "sum";
            if (r.TryGetProperty("experiment_name", out var name) && name.ValueKind == JsonValueKind.String)
            {
                experiment ??= name.GetString();
            }

            lines.Add(new Line(size, type, redop, JsonPlace(r, "out_of_place", path, file), JsonPlace(r, "in_place", path, file), path));
        }

        var version = root.TryGetProperty("nccl_version", out var nv) ? nv.ToString() : null;
        return Build(lines, ranks, experiment, p2p, "json", [], new ImportedMachine(names.Distinct().ToList(), null, null, version, host), file);
    }

    private static ImportResult Build(List<Line> lines, int? ranks, string? program, string? p2p, string format, List<string> skipped, ImportedMachine machine, string file)
    {
        if (lines.Count == 0)
        {
            throw new InputFileException(file, "line 1", "no nccl-tests result lines (size count type redop ... time algbw busbw #wrong) were found");
        }

        CheckAllReduce(lines, ranks, program, file, skipped);
        CheckEachSizeOnce(lines, file);
        var rows = new List<ResultRow>();
        foreach (var line in lines)
        {
            foreach (var (place, inPlace) in new[] { (line.OutOfPlace, false), (line.InPlace, true) })
            {
                if (place is null)
                {
                    continue;
                }

                var parameters = new Dictionary<string, string>
                {
                    ["tool"] = Tool,
                    ["size_bytes"] = ToolText.Num(line.Size),
                    ["inplace"] = inPlace ? "true" : "false",
                    ["type"] = line.Type,
                };
                if (ranks is { } n)
                {
                    parameters["gpus"] = n.ToString(CultureInfo.InvariantCulture);
                }

                if (p2p is not null)
                {
                    parameters["p2p"] = p2p;
                }

                rows.Add(ResultRow.Ok("allreduce", "allreduce", null, null, "time", place.TimeUs, "us", DataSource.Imported, parameters));
                rows.Add(ResultRow.Ok("allreduce", "allreduce", null, null, "algbw", place.AlgBw, "GB/s", DataSource.Imported, parameters));
                rows.Add(ResultRow.Ok("allreduce", "allreduce", null, null, "busbw", place.BusBw, "GB/s", DataSource.Imported, parameters));
                if (place.Wrong is { } wrong)
                {
                    rows.Add(wrong == 0
                        ? ResultRow.Ok("allreduce", "allreduce", null, null, "wrong", 0, "count", DataSource.Imported, parameters)
                        : new ResultRow(DateTimeOffset.UtcNow, "allreduce", "allreduce", null, null, "wrong", wrong, "count", RowStatus.Wrong, DataSource.Imported, parameters, $"nccl-tests reported {wrong} wrong elements"));
                }
            }
        }

        return new ImportResult(Tool, format, "allreduce", rows, skipped, machine);
    }

    /// <summary>Refuses output of another collective: busbw/algbw is 2(n−1)/n only for all-reduce.</summary>
    private static void CheckAllReduce(List<Line> lines, int? ranks, string? program, string file, List<string> skipped)
    {
        if (program is not null && !program.Contains("all_reduce", StringComparison.OrdinalIgnoreCase) && !program.Equals("AllReduce", StringComparison.OrdinalIgnoreCase))
        {
            throw new InputFileException(file, "line 1", $"this is {program} output; only all_reduce_perf (all-reduce) can be imported");
        }

        if (lines.All(l => l.Redop.Equals("none", StringComparison.OrdinalIgnoreCase)))
        {
            throw new InputFileException(file, lines[0].Where, "the reduction op is 'none': this is all_gather, alltoall, broadcast or sendrecv output, not all-reduce");
        }

        var sample = lines.Select(l => l.OutOfPlace ?? l.InPlace).OfType<Place>().Where(p => p.AlgBw >= 1).MaxBy(p => p.AlgBw);
        if (ranks is not { } n || sample is null)
        {
            skipped.Add(ranks is null ? "the rank count is not stated (no 'Using devices' list): rows carry no gpus parameter" : "every algbw is below 1 GB/s: the all-reduce factor could not be checked");
            return;
        }

        var ratio = sample.BusBw / sample.AlgBw;
        var expected = n > 1 ? AllReduceMath.BusFactor(n) : 0;
        if (Math.Abs(ratio - expected) > 0.02 * Math.Max(1, expected))
        {
            throw new InputFileException(file, "line 1",
                $"busbw/algbw = {ratio.ToString("0.###", CultureInfo.InvariantCulture)}, but all-reduce over {n} ranks gives 2(n-1)/n = {expected.ToString("0.###", CultureInfo.InvariantCulture)}: this is another collective's output (or the rank list is incomplete)");
        }
    }

    /// <summary>One run reports each size once per data type and reduction op: a size reported twice is a doubled line
    /// or two runs' outputs in one file, which would give two different figures for one row.</summary>
    private static void CheckEachSizeOnce(List<Line> lines, string file)
    {
        var seen = new Dictionary<(long, string, string), Line>();
        foreach (var line in lines)
        {
            if (seen.TryGetValue((line.Size, line.Type, line.Redop), out var first))
            {
                throw new InputFileException(file, line.Where,
                    $"size {ToolText.Num(line.Size)} ({line.Type}, {line.Redop}) is reported again (first at {first.Where}): a doubled line, or two runs' outputs in one file — import each run's output on its own");
            }

            seen[(line.Size, line.Type, line.Redop)] = line;
        }
    }

    /// <summary>A whole number that a long holds exactly: a larger one would be stored as some other count.</summary>
    private static bool IsCount(double value) => double.IsFinite(value) && value >= 0 && value == Math.Floor(value) && value <= MaxExactCount;

    private static Place? ReadPlace(string[] tokens, int at, int number, string file, bool errorColumn)
    {
        if (!ToolText.TryDouble(tokens[at], out var time) || !ToolText.TryDouble(tokens[at + 1], out var algbw) || !ToolText.TryDouble(tokens[at + 2], out var busbw))
        {
            throw new InputFileException(file, $"line {number}", $"'{tokens[at]} {tokens[at + 1]} {tokens[at + 2]}' are not time, algbw and busbw numbers");
        }

        long? wrong = null;
        if (!errorColumn && !ToolText.IsNotAvailable(tokens[at + 3]))
        {
            if (!ToolText.TryDouble(tokens[at + 3], out var w) || !IsCount(w))
            {
                throw new InputFileException(file, $"line {number}", $"#wrong '{tokens[at + 3]}' is not a count");
            }

            wrong = (long)w;
        }

        return new Place(time, algbw, busbw, wrong);
    }

    private static Place? JsonPlace(JsonElement result, string name, string path, string file)
    {
        if (!result.TryGetProperty(name, out var place) || place.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (place.ValueKind != JsonValueKind.Object)
        {
            throw new InputFileException(file, $"{path}.{name}", $"expected an object, found {place.ValueKind}");
        }

        var timeKey = place.TryGetProperty("time", out _) ? "time" : "cpu_time";
        long? wrong = null;
        if (place.TryGetProperty("nwrong", out var w) && w.ValueKind == JsonValueKind.Number)
        {
            // nccl-tests writes it as a double (0.000000).
            wrong = w.TryGetDouble(out var count) && IsCount(count) ? (long)count : throw new InputFileException(file, $"{path}.{name}.nwrong", $"'{w.GetRawText()}' is not a count");
        }

        return new Place(Double(place, timeKey, $"{path}.{name}", file), Double(place, "alg_bw", $"{path}.{name}", file), Double(place, "bus_bw", $"{path}.{name}", file), wrong);
    }

    private static double Double(JsonElement element, string property, string path, string file) =>
        element.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Number && double.IsFinite(v.GetDouble())
            ? v.GetDouble()
            : throw new InputFileException(file, $"{path}.{property}", "missing or not a number");

    private static long Long(JsonElement element, string property, string path, string file) =>
        element.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var value) && value >= 0
            ? value
            : throw new InputFileException(file, $"{path}.{property}", "missing or not a whole number of bytes");

    private sealed record Place(double TimeUs, double AlgBw, double BusBw, long? Wrong);

    private sealed record Line(long Size, string Type, string Redop, Place? OutOfPlace, Place? InPlace, string Where);

    [GeneratedRegex(@"^#\s*Rank\s+(\d+)\s+(?:Group\s+\d+\s+)?Pid\s+\d+\s+on\s+(\S+)\s+device\s+\d+\s+\[[^\]]*\]\s+(.+)$")]
    private static partial Regex RankLine();

    [GeneratedRegex(@"^#\s*Collective test starting:\s*(\S+)")]
    private static partial Regex ProgramLine();
}
