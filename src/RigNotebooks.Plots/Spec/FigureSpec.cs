namespace RigNotebooks.Plots.Spec;

/// <summary>A chart as data: what the chart functions produce and the Plotly.NET engine draws. Panels are laid out
/// row by row in a <see cref="Rows"/> × <see cref="Cols"/> grid; each has its own axes.</summary>
/// <param name="Banner">A short label drawn in the top-right corner in red, e.g. "SIMULATED DATA".</param>
public sealed record FigureSpec(
    string Title,
    string? Subtitle,
    string? Banner,
    int Rows,
    int Cols,
    IReadOnlyList<PanelSpec> Panels,
    int Height = 450,
    int? Width = null,
    string? BarMode = null);

/// <summary>One subplot: its axes, traces, and the shapes and annotations drawn over it.</summary>
public sealed record PanelSpec(
    string? Title,
    AxisSpec XAxis,
    AxisSpec YAxis,
    IReadOnlyList<TraceSpec> Traces,
    AxisSpec? Y2Axis = null,
    IReadOnlyList<ShapeSpec>? Shapes = null,
    IReadOnlyList<AnnotationSpec>? Annotations = null);

/// <summary>An axis. <paramref name="Title"/> carries the unit, e.g. "Power (W)".</summary>
/// <param name="Kind"><c>linear</c>, <c>log</c> or <c>category</c>.</param>
/// <param name="Reversed">Draw the axis top-down (matrices: GPU 0 in the first row).</param>
public sealed record AxisSpec(string Title, string Kind = "linear", IReadOnlyList<double>? Range = null, string? TickSuffix = null, bool Reversed = false);

/// <summary>One trace. X and Y hold numbers or strings; a null is a gap (a point not measured).</summary>
/// <param name="Kind"><c>lines</c>, <c>markers</c>, <c>lines+markers</c>, <c>bar</c> or <c>heatmap</c>.</param>
/// <param name="Z">Heatmap cells, row by row (one row per Y label); null is a blank cell.</param>
public sealed record TraceSpec(
    string Kind,
    string Name,
    IReadOnlyList<object?> X,
    IReadOnlyList<object?> Y,
    IReadOnlyList<IReadOnlyList<double?>>? Z = null,
    IReadOnlyList<string>? Text = null,
    string? Color = null,
    string? Dash = null,
    double? Width = null,
    string? Symbol = null,
    double? Size = null,
    bool SecondaryY = false,
    bool ShowLegend = true,
    string? LegendGroup = null,
    string? ColorScale = null,
    bool ReverseScale = false,
    double? ZMin = null,
    double? ZMax = null,
    string? ColorBarTitle = null,
    bool ShowScale = true,
    string? HoverTemplate = null,
    string? Fill = null,
    double? Opacity = null);

/// <summary>A rectangle or line. References: <c>data</c> (the panel's axis), <c>paper</c> (the whole figure) or
/// <c>domain</c> (0..1 across the panel), separately for x and y.</summary>
public sealed record ShapeSpec(
    string Kind,
    object? X0,
    object? X1,
    object? Y0,
    object? Y1,
    string Color,
    double Opacity = 1,
    string XRef = "data",
    string YRef = "data",
    string? Dash = null,
    double? Width = null);

/// <summary>A text label placed on a panel.</summary>
public sealed record AnnotationSpec(
    object? X,
    object? Y,
    string Text,
    string XRef = "data",
    string YRef = "data",
    string? Color = null,
    bool ShowArrow = false,
    double? Size = null,
    string? XAnchor = null,
    string? YAnchor = null,
    string? BgColor = null);
