using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RigNotebooks.Data;

namespace RigNotebooks.Results.Comparison;

/// <summary>The facts of a run's environment that can explain a difference in its numbers, and how they differ
/// between runs. Hostnames, GPU UUIDs and serials are left out on purpose: they name a machine, they do not change it.</summary>
public static class EnvironmentFacts
{
    /// <summary>The run's facts, in a stable order: (category, field, value).</summary>
    public static IReadOnlyList<(DifferenceCategory Category, string Field, string? Value)> Of(RunRecord record)
    {
        var facts = new List<(DifferenceCategory, string, string?)>
        {
            (DifferenceCategory.Source, "source", Lower(record.Source)),
            (DifferenceCategory.Provenance, "provenance", record.Provenance is { } p
                ? $"imported from {p.Archive}" + (p.Anonymized ? " (anonymized)" : string.Empty)
                : "made here"),
            (DifferenceCategory.Rig, "rig", record.Rig.RigId),
            (DifferenceCategory.Rig, "gpu count", record.Rig.Gpus.Count.ToString(CultureInfo.InvariantCulture)),
            (DifferenceCategory.Platform, "driver", record.Rig.DriverVersion),
            (DifferenceCategory.Platform, "cuda driver", record.Rig.CudaDriverVersion),
            (DifferenceCategory.Platform, "iommu", Lower(record.Rig.Iommu)),
            (DifferenceCategory.Platform, "kernel command line", record.Rig.KernelCommandLine),
        };

        foreach (var g in record.Rig.Gpus.OrderBy(g => g.Index))
        {
            var prefix = $"gpu{g.Index}";
            facts.Add((DifferenceCategory.Gpu, $"{prefix}.model", g.Name));
            facts.Add((DifferenceCategory.Gpu, $"{prefix}.pci bus", g.PciBusId));
            facts.Add((DifferenceCategory.Gpu, $"{prefix}.link", g.LinkCurrent));
            facts.Add((DifferenceCategory.Gpu, $"{prefix}.max link", g.LinkMax));
            facts.Add((DifferenceCategory.Gpu, $"{prefix}.power limit W", g.PowerLimitW.ToString("0.##", CultureInfo.InvariantCulture)));
        }

        foreach (var (key, value) in record.Software.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            facts.Add((DifferenceCategory.Software, $"software.{key}", value));
        }

        Flatten(record.Spec, "spec", facts);
        return facts;
    }

    /// <summary>The facts that are not the same in every run, each with its value per run.</summary>
    public static IReadOnlyList<EnvironmentDifference> Differences(IReadOnlyList<RunRecord> records)
    {
        var perRun = records.Select(r => Of(r).GroupBy(f => f.Field).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal)).ToList();
        var fields = new List<(DifferenceCategory Category, string Field)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var facts in records.Select(Of))
        {
            foreach (var (category, field, _) in facts)
            {
                if (seen.Add(field))
                {
                    fields.Add((category, field));
                }
            }
        }

        var differences = new List<EnvironmentDifference>();
        foreach (var (category, field) in fields.OrderBy(f => f.Category))
        {
            var values = perRun.Select(run => run.TryGetValue(field, out var fact) ? fact.Value : null).ToList();
            if (values.Distinct(StringComparer.Ordinal).Count() <= 1)
            {
                continue;
            }

            var detail = field == "kernel command line" ? KernelCommandLineDetail(values) : null;
            differences.Add(new EnvironmentDifference(category, field, values, detail, category == DifferenceCategory.Source));
        }

        return differences;
    }

    /// <summary>For each run after the baseline, the kernel parameters it adds (+) and lacks (-) against the baseline.</summary>
    public static string KernelCommandLineDetail(IReadOnlyList<string?> values)
    {
        var baseline = Tokens(values[0]);
        var parts = new List<string>();
        for (var i = 1; i < values.Count; i++)
        {
            if (string.Equals(values[i], values[0], StringComparison.Ordinal))
            {
                parts.Add($"run {i + 1}: same as run 1");
                continue;
            }

            var tokens = Tokens(values[i]);
            var added = tokens.Where(t => !baseline.Contains(t)).Select(t => "+" + t);
            var removed = baseline.Where(t => !tokens.Contains(t)).Select(t => "-" + t);
            var change = string.Join(' ', added.Concat(removed));
            parts.Add($"run {i + 1}: {(change.Length == 0 ? "same parameters, other order or spacing" : change)}");
        }

        return string.Join("; ", parts);
    }

    private static List<string> Tokens(string? commandLine) =>
        (commandLine ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static void Flatten(JsonNode? node, string path, List<(DifferenceCategory, string, string?)> facts)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    Flatten(child, $"{path}.{key}", facts);
                }

                break;
            case null:
                facts.Add((DifferenceCategory.Spec, path, "null"));
                break;
            default:
                facts.Add((DifferenceCategory.Spec, path, node.ToJsonString(KitJson.Compact)));
                break;
        }
    }

    private static string Lower<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
