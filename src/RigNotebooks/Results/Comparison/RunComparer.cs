using RigNotebooks.Errors;
using RigNotebooks.Model;

namespace RigNotebooks.Results.Comparison;

/// <summary>Lines up runs of the same experiment row by row (experiment, case, GPU, peer, metric, parameters) and
/// computes absolute and relative deltas against the first run. The library call behind <c>rig runs compare</c>;
/// notebooks call it directly and chart <see cref="RunComparison.Points"/>.</summary>
public static class RunComparer
{
    /// <summary>Compares runs from a store by id (or unique prefix, or folder).</summary>
    public static RunComparison Compare(RunStore store, IEnumerable<string> idsOrPaths, ComparisonOptions? options = null) =>
        Compare(idsOrPaths.Select(store.Load).ToList(), options);

    public static RunComparison Compare(IReadOnlyList<LoadedRun> runs, ComparisonOptions? options = null)
    {
        options ??= ComparisonOptions.Default;
        if (runs.Count < 2)
        {
            throw new RigInputException($"A comparison needs at least two runs; {runs.Count} given.");
        }

        var experiments = runs.Select(r => r.Record.Experiment).Distinct(StringComparer.Ordinal).ToList();
        if (experiments.Count > 1)
        {
            throw new RigInputException(
                "Only runs of the same experiment can be compared; these are of " +
                string.Join(", ", runs.Select(r => $"{r.Id} ({r.Record.Experiment})")) + ".");
        }

        if (options.Labels is { } labels && labels.Count != runs.Count)
        {
            throw new ArgumentException($"{labels.Count} labels for {runs.Count} runs.", nameof(options));
        }

        var ignore = new HashSet<string>(options.IgnoreParams ?? [], StringComparer.Ordinal);
        var compared = Describe(runs, options.Labels);
        var keyed = runs.Select(r => Key(r.Rows, ignore)).ToList();

        var order = new List<RowKey>();
        var seen = new HashSet<RowKey>();
        foreach (var run in keyed)
        {
            foreach (var key in run.Keys.Where(seen.Add))
            {
                order.Add(key);
            }
        }

        var rows = order.Select(key => Line(key, keyed)).ToList();
        var environment = EnvironmentFacts.Differences(runs.Select(r => r.Record).ToList());
        return new RunComparison(experiments[0], compared, rows, environment, Warnings(runs, rows, environment));
    }

    private static List<ComparedRun> Describe(IReadOnlyList<LoadedRun> runs, IReadOnlyList<string>? labels)
    {
        var names = labels?.ToList() ?? runs.Select(r => r.Record.Tags.Count > 0 ? string.Join(",", r.Record.Tags) : r.Record.Rig.RigId).ToList();
        var duplicated = names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        return runs.Select((r, i) => new ComparedRun(
            i,
            r.Id,
            duplicated.Contains(names[i]) ? $"{names[i]} (run {i + 1})" : names[i],
            r.Record.Experiment,
            r.Record.Rig.RigId,
            r.Record.Source,
            r.Record.Status,
            r.Record.StartedUtc,
            r.Rows.Count,
            r.Record.Notes,
            r.Record.Tags,
            r.Record.Provenance,
            r.Dropped)).ToList();
    }

    /// <summary>The run's rows by key, in order; the n-th row with the same key gets occurrence n.</summary>
    private static Dictionary<RowKey, ResultRow> Key(IReadOnlyList<ResultRow> rows, HashSet<string> ignore)
    {
        var keyed = new Dictionary<RowKey, ResultRow>();
        var counts = new Dictionary<RowKey, int>();
        foreach (var row in rows)
        {
            var parameters = ignore.Count == 0
                ? row.Parameters
                : row.Parameters.Where(p => !ignore.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            var first = new RowKey(row.Experiment, row.Case, row.Gpu, row.Peer, row.Metric, RowsCsv.FormatParameters(parameters), 1);
            var n = counts.TryGetValue(first, out var c) ? c + 1 : 1;
            counts[first] = n;
            keyed[first with { Occurrence = n }] = row;
        }

        return keyed;
    }

    private static ComparedRow Line(RowKey key, List<Dictionary<RowKey, ResultRow>> runs)
    {
        var found = runs.Select(r => r.TryGetValue(key, out var row) ? row : null).ToList();
        var units = found.Where(r => r is not null).Select(r => r!.Unit).Distinct(StringComparer.Ordinal).ToList();
        var unitMismatch = units.Count > 1;
        var sources = found.Where(r => r is not null).Select(r => r!.Source).Distinct().Count();
        var statuses = found.Select(r => r?.Status).Distinct().Count();
        var baseline = found[0] is { } b ? Usable(b) : null;

        var values = found.Select((row, i) =>
        {
            if (row is null)
            {
                return new ComparedValue(i, false, null, null, null, null, null, null, null);
            }

            var value = Usable(row);
            double? abs = null, rel = null;
            if (i > 0 && value is { } v && baseline is { } bv && !unitMismatch)
            {
                abs = v - bv;
                rel = bv != 0 ? (v - bv) / Math.Abs(bv) : v == bv ? 0 : null;
            }

            return new ComparedValue(i, true, value, row.Unit, row.Status, row.Source, abs, rel, row.Note);
        }).ToList();

        return new ComparedRow(key, found.FirstOrDefault(r => r is not null)!.Unit, values, sources > 1, statuses > 1, unitMismatch);
    }

    private static double? Usable(ResultRow row) => row.Status == RowStatus.Ok && double.IsFinite(row.Value) ? row.Value : null;

    private static List<string> Warnings(IReadOnlyList<LoadedRun> runs, List<ComparedRow> rows, IReadOnlyList<EnvironmentDifference> environment)
    {
        var warnings = new List<string>();
        if (environment.FirstOrDefault(e => e.Category == DifferenceCategory.Source) is { } mix)
        {
            warnings.Add(
                $"These runs mix data sources ({string.Join(" vs ", mix.Values.Select((v, i) => $"run {i + 1} {v}"))}): " +
                "a delta between a simulated and a measured run compares a model with a rig, not two rigs.");
        }

        var mixedRows = rows.Count(r => r.MixedSources);
        if (mixedRows > 0)
        {
            warnings.Add($"{mixedRows} row(s) compare values of different sources (measured / simulated / imported); they are flagged.");
        }

        var unitRows = rows.Count(r => r.UnitMismatch);
        if (unitRows > 0)
        {
            warnings.Add($"{unitRows} row(s) are given in different units by different runs; no delta is computed for them.");
        }

        foreach (var (run, i) in runs.Select((r, i) => (r, i)))
        {
            if (runs.Take(i).Any(earlier => string.Equals(earlier.Folder, run.Folder, StringComparison.Ordinal)))
            {
                warnings.Add($"Run {i + 1} ({run.Id}) is the same run folder as an earlier one.");
            }

            if (run.Dropped.Count > 0)
            {
                warnings.Add($"Run {i + 1} ({run.Id}): {run.Dropped.Count} problem(s) reading its rows; rows that could not be read are missing here (`rig runs show` lists them).");
            }

            var status = run.Record.Provenance?.OriginalStatus ?? run.Record.Status;
            if (status is RunStatus.Aborted or RunStatus.Failed or RunStatus.Cancelled or RunStatus.Running)
            {
                warnings.Add($"Run {i + 1} ({run.Id}) did not complete ({status.ToString().ToLowerInvariant()}): rows it lacks may be why it differs.");
            }
        }

        return warnings;
    }
}
