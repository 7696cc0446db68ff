using System.Globalization;
using RigNotebooks.Data;
using RigNotebooks.Doctor;
using RigNotebooks.Model;
using RigNotebooks.Results;

namespace RigNotebooks.Bandwidth;

/// <summary>
/// Turns bandwidth and all-reduce rows into findings with remedies: peer transfers that hang, data that arrives
/// wrong, P2P slower than staging through host memory, a measuring process that crashed, a link that ran below its
/// maximum during the copies. The remedies follow REFERENCE.md §4, in the order people try them.
/// </summary>
public static class BandwidthFindings
{
    public const string HangCode = "p2p-hang";
    public const string CorruptCode = "p2p-corrupt";
    public const string SlowerThanOffCode = "p2p-slower-than-off";
    public const string CrashCode = "bandwidth-worker-crashed";
    public const string FailedCode = "bandwidth-case-failed";
    public const string LinkDuringTestCode = "link-below-max-during-test";

    private static readonly string[] PeerSources =
    [
        "REFERENCE.md §1: the reference rig's 3-GPU training hung on driver 545 and ran after 545 -> 535",
        "REFERENCE.md §4: the P2P failure landscape (hangs, wrong data, P2P slower than off) and its remedies",
    ];

    /// <summary>The general remedies for a broken peer path, in the order people try them.</summary>
    public const string PeerRemedies =
        "Try, in order: IOMMU off in the BIOS or iommu=pt on the kernel command line (amd_iommu=on iommu=pt on AMD); " +
        "ACS redirect off on the PCIe bridges between the GPUs; another driver branch (545 -> 535 fixed the reference rig's RTX 3090s); " +
        "only as a slow stop-gap, NCCL_P2P_DISABLE=1 (or NCCL_P2P_LEVEL) so NCCL stages GPU-to-GPU traffic through host memory. " +
        "Re-run `rig bandwidth` (or `rig doctor --deep`) after each change.";

    public static IReadOnlyList<Finding> Examine(IReadOnlyList<ResultRow> rows, RigDescription rig, ReferenceData data)
    {
        var findings = new List<Finding>();
        Hangs(rows, rig, data, findings);
        Corruption(rows, findings);
        SlowerThanOff(rows, findings);
        Failures(rows, findings);
        LinkDuringTest(rows, rig, findings);
        return findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Code, StringComparer.Ordinal).ToList();
    }

    private static void Hangs(IReadOnlyList<ResultRow> rows, RigDescription rig, ReferenceData data, List<Finding> findings)
    {
        var hung = rows.Where(r => r.Status == RowStatus.Hung).ToList();
        if (hung.Count == 0)
        {
            return;
        }

        var skipped = rows.Count(r => r.Status == RowStatus.Waived && r.Note?.StartsWith("not attempted:", StringComparison.Ordinal) == true);
        var what = string.Join("; ", hung.Select(Describe));
        var driver = rig.Platform.DriverVersion;
        var known = rig.Gpus.Select(g => g.Architecture).Distinct()
            .SelectMany(arch => data.DriverIssuesFor(driver, arch))
            .Where(i => i.Effect == PeerFailure.Hang)
            .DistinctBy(i => i.Id)
            .ToList();
        var remedy = known.Count > 0
            ? $"{string.Join(" ", known.Select(i => i.Remedy))} Otherwise: {PeerRemedies}"
            : PeerRemedies;
        var collective = hung.All(r => r.Experiment == "allreduce");
        findings.Add(new Finding(
            HangCode,
            Severity.Error,
            collective ? "All-reduce hangs: the collective never completes" : "Peer transfers hang: a GPU-to-GPU copy never completes",
            $"The watchdog killed the measuring process: {what}." +
            (skipped > 0 ? $" {skipped} further case(s) on the same path were not attempted." : string.Empty) +
            $" Driver {driver}." + (known.Count > 0 ? $" Known problem: {string.Join(" ", known.Select(i => i.Summary))}" : string.Empty) +
            " This is the reference rig's failure: training hangs at the first collective.",
            remedy,
            [.. PeerSources, .. known.SelectMany(i => i.Sources)]));
    }

    private static void Corruption(IReadOnlyList<ResultRow> rows, List<Finding> findings)
    {
        var wrong = rows.Where(r => r.Status == RowStatus.Wrong && r.Metric is "mismatched_bytes" or "wrong").ToList();
        if (wrong.Count == 0)
        {
            return;
        }

        var offsets = rows.Where(r => r.Status == RowStatus.Wrong && r.Metric == "first_wrong_offset")
            .ToDictionary(r => (r.Gpu, r.Peer, r.Parameter("size_bytes")), r => r.Value);
        var evidence = string.Join("; ", wrong.Take(6).Select(r =>
        {
            var where = r.Experiment == "allreduce"
                ? $"all-reduce {r.Parameter("size_bytes")} B p2p={r.Parameter("p2p")}"
                : $"peer copy GPU {r.Gpu}->{r.Peer} of {r.Parameter("size_bytes")} B";
            var offset = offsets.TryGetValue((r.Gpu, r.Peer, r.Parameter("size_bytes")), out var o) ? $", first wrong byte at offset {o.ToString(CultureInfo.InvariantCulture)}" : string.Empty;
            return $"{where}: {r.Value.ToString(CultureInfo.InvariantCulture)} {(r.Metric == "wrong" ? "elements" : "bytes")} wrong{offset}";
        }));
        findings.Add(new Finding(
            CorruptCode,
            Severity.Error,
            "Peer transfers deliver wrong data",
            $"The data check failed: {evidence}{(wrong.Count > 6 ? $"; and {wrong.Count - 6} more" : string.Empty)}. " +
            "A model trained over this path can silently fail to learn (REFERENCE.md §4: tensors read back as zeros, AMD-Vi IO_PAGE_FAULT in dmesg).",
            $"Do not train with P2P until this check passes. {PeerRemedies}",
            PeerSources));
    }

    /// <summary>How many of the largest message sizes measured with P2P both on and off the all-reduce comparison
    /// reads: the bandwidth-bound end of the sweep, where the path's speed shows, and more than one size so one noisy
    /// point does not decide.</summary>
    public const int AllReduceCompareSizes = 3;

    private static void SlowerThanOff(IReadOnlyList<ResultRow> rows, List<Finding> findings)
    {
        var slow = new List<string>();
        var uni = rows.Where(r => r is { Experiment: "bandwidth", Case: "peer_unidirectional", Metric: "bandwidth", Status: RowStatus.Ok })
            .ToLookup(r => (r.Gpu, r.Peer));
        foreach (var pair in uni)
        {
            var on = pair.FirstOrDefault(r => r.Parameter("p2p") == "on");
            var off = pair.FirstOrDefault(r => r.Parameter("p2p") == "off");
            if (on is not null && off is not null && on.Value < off.Value)
            {
                slow.Add($"GPU {pair.Key.Gpu}->{pair.Key.Peer}: P2P on {G(on.Value)} GB/s vs off {G(off.Value)} GB/s");
            }
        }

        if (AllReduceSlowerThanOff(rows) is { } allReduce)
        {
            slow.Add(allReduce);
        }

        if (slow.Count == 0)
        {
            return;
        }

        findings.Add(new Finding(
            SlowerThanOffCode,
            Severity.Warning,
            "P2P is slower than staging through host memory",
            $"{string.Join("; ", slow)}. Direct peer DMA should beat a copy staged through host memory; when it does not, " +
            "the IOMMU is translating every peer transfer or ACS is redirecting it through the root complex (REFERENCE.md §5: 3x A6000 with the IOMMU translating, P2P on 1.6-2.6 GB/s vs off 13-22 GB/s).",
            PeerRemedies,
            [.. PeerSources, "REFERENCE.md §5: stas00/ml-engineering issue 1"]));
    }

    /// <summary>All-reduce bus bandwidth with P2P on vs off (NCCL_P2P_DISABLE=1) at the largest sizes both measured,
    /// in-place and out-of-place averaged per size: evidence when P2P on is slower there, else null.</summary>
    private static string? AllReduceSlowerThanOff(IReadOnlyList<ResultRow> rows)
    {
        var common = rows
            .Where(r => r is { Experiment: "allreduce", Metric: "busbw", Status: RowStatus.Ok } && r.Parameter("p2p") is "on" or "off")
            .GroupBy(r => r.Parameter("size_bytes") is { } size && long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : -1)
            .Where(g => g.Key > 0)
            .Select(g => (
                SizeBytes: g.Key,
                On: g.Where(r => r.Parameter("p2p") == "on").Select(r => r.Value).DefaultIfEmpty(double.NaN).Average(),
                Off: g.Where(r => r.Parameter("p2p") == "off").Select(r => r.Value).DefaultIfEmpty(double.NaN).Average()))
            .Where(s => !double.IsNaN(s.On) && !double.IsNaN(s.Off))
            .OrderByDescending(s => s.SizeBytes)
            .Take(AllReduceCompareSizes)
            .ToList();
        if (common.Count == 0 || common.Average(s => s.On) >= common.Average(s => s.Off))
        {
            return null;
        }

        return "all-reduce bus bandwidth " + string.Join(", ", common.Select(s => $"at {ByteSize.Format(s.SizeBytes)}: P2P on {G(s.On)} GB/s vs off {G(s.Off)} GB/s"));
    }

    private static void Failures(IReadOnlyList<ResultRow> rows, List<Finding> findings)
    {
        var failed = rows.Where(r => r.Status == RowStatus.Failed).ToList();
        var crashed = failed.Where(r => r.Note?.StartsWith("crashed:", StringComparison.Ordinal) == true).ToList();
        if (crashed.Count > 0)
        {
            findings.Add(new Finding(
                CrashCode,
                Severity.Error,
                "The measuring process crashed",
                $"{string.Join("; ", crashed.Select(Describe))}. The run went on in a fresh process; what was measured before is kept.",
                "Check dmesg for Xid errors or IOMMU faults, and the driver version; re-run the case alone with `rig bandwidth --cases <case>`. " + PeerRemedies,
                PeerSources));
        }

        var other = failed.Except(crashed).ToList();
        if (other.Count > 0)
        {
            findings.Add(new Finding(
                FailedCode,
                Severity.Warning,
                $"{other.Count} case(s) failed",
                string.Join("; ", other.Take(6).Select(Describe)) + (other.Count > 6 ? $"; and {other.Count - 6} more" : string.Empty),
                "Read the notes in the run's rows.csv; a driver error names its cause. Re-run with --cases to retry one case."));
        }
    }

    private static void LinkDuringTest(IReadOnlyList<ResultRow> rows, RigDescription rig, List<Finding> findings)
    {
        var slow = new List<string>();
        foreach (var byGpu in rows.Where(r => r is { Metric: "link_gen" or "link_width", Status: RowStatus.Ok, Gpu: not null }).GroupBy(r => r.Gpu!.Value))
        {
            if (byGpu.Key >= rig.Gpus.Count)
            {
                continue;
            }

            var max = rig.Gpus[byGpu.Key].Link;
            var gen = byGpu.Where(r => r.Metric == "link_gen").Select(r => (int)r.Value).DefaultIfEmpty(max.MaxGen).Min();
            var width = byGpu.Where(r => r.Metric == "link_width").Select(r => (int)r.Value).DefaultIfEmpty(max.MaxWidth).Min();
            if (gen < max.MaxGen || width < max.MaxWidth)
            {
                slow.Add($"GPU {byGpu.Key} ran its copies at Gen{gen} x{width} (max {max.Max})");
            }
        }

        if (slow.Count > 0)
        {
            findings.Add(new Finding(
                LinkDuringTestCode,
                Severity.Warning,
                "A PCIe link ran below its maximum during the copies",
                string.Join("; ", slow) + ". Read under load, so this is not the idle Gen1 power saving.",
                "Reseat the card or its riser, try another slot, check the slot's generation setting in the BIOS; a riser that only trains at a lower generation must be replaced or the slot forced to that generation."));
        }
    }

    private static string Describe(ResultRow r)
    {
        var where = r.Experiment == "allreduce"
            ? $"all-reduce {r.Parameter("size_bytes")} B p2p={r.Parameter("p2p")}"
            : $"{r.Case}{(r.Gpu is { } g ? $" GPU {g}" : string.Empty)}{(r.Peer is { } p ? $"->{p}" : string.Empty)}{(r.Parameter("p2p") is { } p2p ? $" p2p={p2p}" : string.Empty)}";
        return $"{where}: {r.Note}";
    }

    private static string G(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
