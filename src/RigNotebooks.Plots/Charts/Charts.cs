using System.Globalization;
using RigNotebooks.Results;
using RigNotebooks.Plots.Spec;

namespace RigNotebooks.Plots;

/// <summary>Every chart the kit draws: pure functions from rows (docs/ROWS.md) to a <see cref="Figure"/>. Each has an
/// overload that takes runs; the figure says on its face whether its data is simulated, measured or imported.</summary>
public static partial class Charts
{
    private static string Fmt(double v, string format = "G4") => v.ToString(format, CultureInfo.InvariantCulture);

    private static string StatusWord(RowStatus status) => status.ToString().ToUpperInvariant();

    private static IReadOnlyList<object?> Objects<T>(IEnumerable<T> values) => values.Select(v => (object?)v).ToList();

    private static double? Value(ResultRow row) => row.Status == RowStatus.Ok && !double.IsNaN(row.Value) ? row.Value : null;

    private static Figure Empty(string title, string why, ChartData data) =>
        new(new FigureSpec(title, why + " — " + data.Provenance([]).Subtitle, null, 1, 1,
            [new PanelSpec(null, new AxisSpec(""), new AxisSpec(""), [], Annotations: [new AnnotationSpec(0.5, 0.5, why, "paper", "paper", Size: 16)])], Height: 250));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
