using RigNotebooks.Model;

namespace RigNotebooks.Results;

/// <summary>One tidy, long-format result: one metric of one case, on one GPU (or pair), at one time.</summary>
/// <param name="Case">The test case key, e.g. <c>host_to_device_pinned</c>.</param>
/// <param name="Parameters">Case parameters that vary within the run (size, cap, p2p=on), as text.</param>
/// <param name="Note">Why a row is waived / hung / failed, or other context.</param>
public sealed record ResultRow(
    DateTimeOffset TimeUtc,
    string Experiment,
    string Case,
    int? Gpu,
    int? Peer,
    string Metric,
    double Value,
    string Unit,
    RowStatus Status,
    DataSource Source,
    IReadOnlyDictionary<string, string> Parameters,
    string? Note)
{
    public static ResultRow Ok(string experiment, string @case, int? gpu, int? peer, string metric, double value, string unit, DataSource source, IReadOnlyDictionary<string, string>? parameters = null) =>
        new(DateTimeOffset.UtcNow, experiment, @case, gpu, peer, metric, value, unit, RowStatus.Ok, source, parameters ?? Empty, null);

    public static ResultRow NotMeasured(RowStatus status, string experiment, string @case, int? gpu, int? peer, string metric, string unit, DataSource source, string note, IReadOnlyDictionary<string, string>? parameters = null) =>
        new(DateTimeOffset.UtcNow, experiment, @case, gpu, peer, metric, double.NaN, unit, status, source, parameters ?? Empty, note);

    public static IReadOnlyDictionary<string, string> Empty { get; } = new Dictionary<string, string>();

    public string? Parameter(string key) => Parameters.TryGetValue(key, out var v) ? v : null;
}
