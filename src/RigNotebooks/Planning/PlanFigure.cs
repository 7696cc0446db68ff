using System.Globalization;

namespace RigNotebooks.Planning;

/// <summary>Which direction of a figure is better, for the deltas that decide.</summary>
public enum Better
{
    Neither,
    Higher,
    Lower,
}

/// <summary>
/// One figure the planner computed for one rig: its row name and unit (docs/ROWS.md), a value or null when the models
/// cannot estimate it (never invented), and how it was derived (<c>--explain</c>).
/// </summary>
/// <param name="Metric">The row metric, e.g. <c>allreduce_busbw</c>.</param>
/// <param name="Label">What a table row calls it, e.g. "all-reduce busbw, 256 MiB".</param>
/// <param name="Model">The training model the figure is for, when it depends on one.</param>
/// <param name="Display">The value as the table shows it ("52 of 60 (8 spare)"), or "unknown".</param>
/// <param name="Explanation">The derivation, or why the figure is unknown.</param>
public sealed record PlanFigure(
    string Metric,
    string Label,
    string Unit,
    double? Value,
    string Display,
    string Explanation,
    Better Better,
    string? Model = null)
{
    public bool Known => Value is not null;

    public static PlanFigure Of(string metric, string label, string unit, double value, string explanation, Better better, string? model = null, string? display = null) =>
        new(metric, label, unit, value, display ?? Format(value, unit), explanation, better, model);

    public static PlanFigure Unknown(string metric, string label, string unit, string why, Better better, string? model = null) =>
        new(metric, label, unit, null, "unknown", why, better, model);

    /// <summary>The kit's way of showing a value of a unit: GB/s to 0.1, tokens/s grouped, watts and °C whole, seconds in ms.</summary>
    public static string Format(double value, string unit) => unit switch
    {
        "GB/s" => $"{value.ToString(value >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture)} GB/s",
        "tokens/s" => $"{value.ToString("#,0", CultureInfo.InvariantCulture)} tokens/s",
        "%" => $"{value.ToString("0", CultureInfo.InvariantCulture)} %",
        "W" => $"{value.ToString("0", CultureInfo.InvariantCulture)} W",
        "C" => $"{value.ToString("0", CultureInfo.InvariantCulture)} °C",
        "s" => $"{(value * 1e3).ToString(value * 1e3 >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture)} ms",
        "J" => $"{(value * 1e3).ToString("0.0", CultureInfo.InvariantCulture)} mJ",
        "count" => value.ToString("0", CultureInfo.InvariantCulture),
        _ => $"{value.ToString("G4", CultureInfo.InvariantCulture)} {unit}",
    };
}
