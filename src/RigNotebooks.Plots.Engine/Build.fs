/// Turns a figure spec into a Plotly.NET chart: traces from Plotly.NET's chart constructors, axes and layout from
/// its layout objects, one combined chart serialised by Plotly.NET. Panels get fixed axis ids (x1/y1, x2/y2, ...)
/// and explicit domains, so shapes and annotations can point at the panel they belong to.
module RigNotebooks.Plots.Engine.Build

open System
open Plotly.NET
open Plotly.NET.LayoutObjects
open Plotly.NET.TraceObjects
open RigNotebooks.Plots.Engine.Spec

let private isNumber (o: obj) =
    match o with
    | :? float
    | :? int
    | :? int64 -> true
    | _ -> false

let private asFloat (o: obj) =
    match o with
    | :? float as f -> f
    | :? int as i -> float i
    | :? int64 as i -> float i
    | _ -> nan

let private asText (o: obj) = if isNull o then "" else string o

/// Plotly.NET wants IConvertible values; null (a gap, a waived cell) is written back as JSON null afterwards.
let private typed (values: obj[]) =
    if values |> Array.forall (fun v -> isNull v || isNumber v) then
        Choice1Of2(values |> Array.map asFloat)
    else
        Choice2Of2(values |> Array.map asText)

let private setRaw (name: string) (value: obj) (chart: GenericChart) =
    chart |> GenericChart.mapTrace (fun t -> t.SetProperty(name, value); t)

let private dash =
    function
    | Some "dash" -> StyleParam.DrawingStyle.Dash
    | Some "dot" -> StyleParam.DrawingStyle.Dot
    | Some "dashdot" -> StyleParam.DrawingStyle.DashDot
    | _ -> StyleParam.DrawingStyle.Solid

let private mode =
    function
    | "markers" -> StyleParam.Mode.Markers
    | "lines+markers" -> StyleParam.Mode.Lines_Markers
    | "text" -> StyleParam.Mode.Text
    | "markers+text" -> StyleParam.Mode.Markers_Text
    | _ -> StyleParam.Mode.Lines

let private scatter (t: Trace) =
    let chart =
        match typed t.X with
        | Choice1Of2 xs -> Chart.Scatter(x = xs, y = Array.map asFloat t.Y, mode = mode t.Kind, Name = t.Name, ShowLegend = t.ShowLegend)
        | Choice2Of2 xs -> Chart.Scatter(x = xs, y = Array.map asFloat t.Y, mode = mode t.Kind, Name = t.Name, ShowLegend = t.ShowLegend)
    let line =
        Line.init (?Color = (t.Color |> Option.map Color.fromString), Dash = dash t.Dash, ?Width = t.Width)
    let marker =
        Marker.init (
            ?Color = (t.Color |> Option.map Color.fromString),
            ?Size = (t.Size |> Option.map int),
            ?Symbol = (t.Symbol |> Option.map (fun s -> if s = "x" then StyleParam.MarkerSymbol.X else StyleParam.MarkerSymbol.Circle))
        )
    chart
    |> Chart.withLine line
    |> Chart.withMarker marker
    |> setRaw "x" t.X
    |> setRaw "y" t.Y

let private bar (t: Trace) =
    let chart =
        match typed t.X with
        | Choice1Of2 xs -> Chart.Column(values = Array.map asFloat t.Y, Keys = xs, Name = t.Name, ShowLegend = t.ShowLegend)
        | Choice2Of2 xs -> Chart.Column(values = Array.map asFloat t.Y, Keys = xs, Name = t.Name, ShowLegend = t.ShowLegend)
    let chart =
        match t.Color with
        | Some c -> chart |> Chart.withMarker (Marker.init (Color = Color.fromString c))
        | None -> chart
    chart |> setRaw "x" t.X |> setRaw "y" t.Y

let private heatmap (t: Trace) (colorBarX: float) (colorBarY: float) (colorBarLen: float) =
    let z = defaultArg t.Z [||]
    let zeros = z |> Array.map (Array.map (fun _ -> 0.0))
    let colorBar =
        ColorBar.init (
            Title = Title.init (Text = defaultArg t.ColorBarTitle ""),
            X = colorBarX,
            Y = colorBarY,
            Len = colorBarLen,
            Thickness = 14.0
        )
    Chart.Heatmap(zData = zeros, X = Array.map asText t.X, Y = Array.map asText t.Y, Name = t.Name, ShowScale = t.ShowScale, ReverseScale = t.ReverseScale, ColorBar = colorBar, XGap = 2, YGap = 2)
    |> setRaw "z" z
    |> setRaw "colorscale" (defaultArg t.ColorScale "Viridis")
    |> fun c -> match t.ZMin with Some v -> setRaw "zmin" v c | None -> c
    |> fun c -> match t.ZMax with Some v -> setRaw "zmax" v c | None -> c

let private axisType =
    function
    | "log" -> StyleParam.AxisType.Log
    | "category" -> StyleParam.AxisType.Category
    | _ -> StyleParam.AxisType.Linear

type private Geometry = { X0: float; X1: float; Y0: float; Y1: float }

let private geometry (fig: Figure) index =
    let rows, cols = max 1 fig.Rows, max 1 fig.Cols
    let r, c = index / cols, index % cols
    let gapX = if cols > 1 then 0.12 else 0.0
    let gapY = if rows > 1 then 0.13 else 0.0
    let w = (1.0 - gapX * float (cols - 1)) / float cols
    let h = (1.0 - gapY * float (rows - 1)) / float rows
    let x0 = float c * (w + gapX)
    let y1 = 1.0 - float r * (h + gapY)
    { X0 = x0; X1 = x0 + w; Y0 = y1 - h; Y1 = y1 }

let private refName (axisLetter: string) (id: int) (reference: string) =
    match reference with
    | "paper" -> "paper"
    | "domain" -> sprintf "%s%s domain" axisLetter (if id = 1 then "" else string id)
    | _ -> sprintf "%s%s" axisLetter (if id = 1 then "" else string id)

let private shapeOf (xId: int) (yId: int) (s: Spec.Shape) =
    let shape = Shape()
    shape.SetProperty("type", (if s.Kind = "line" then "line" else "rect"))
    shape.SetProperty("xref", refName "x" xId s.XRef)
    shape.SetProperty("yref", refName "y" yId s.YRef)
    shape.SetProperty("x0", s.X0)
    shape.SetProperty("x1", s.X1)
    shape.SetProperty("y0", s.Y0)
    shape.SetProperty("y1", s.Y1)
    shape.SetProperty("opacity", s.Opacity)
    shape.SetProperty("layer", "below")
    let line = Line.init (Color = Color.fromString s.Color, Width = defaultArg s.Width (if s.Kind = "line" then 2.0 else 0.0), Dash = dash s.Dash)
    shape.SetProperty("line", line)
    if s.Kind <> "line" then shape.SetProperty("fillcolor", s.Color)
    shape

let private annotationOf (xId: int) (yId: int) (a: Spec.Annotation) =
    let ann = Annotation()
    ann.SetProperty("xref", refName "x" xId a.XRef)
    ann.SetProperty("yref", refName "y" yId a.YRef)
    ann.SetProperty("x", a.X)
    ann.SetProperty("y", a.Y)
    ann.SetProperty("text", a.Text)
    ann.SetProperty("showarrow", a.ShowArrow)
    a.XAnchor |> Option.iter (fun v -> ann.SetProperty("xanchor", v))
    a.YAnchor |> Option.iter (fun v -> ann.SetProperty("yanchor", v))
    ann.SetProperty("font", Font.init (?Color = (a.Color |> Option.map Color.fromString), Size = defaultArg a.Size 12.0))
    a.BgColor |> Option.iter (fun c -> ann.SetProperty("bgcolor", c))
    ann

let private axisOf (a: Spec.Axis) (domain: float * float) (anchor: StyleParam.LinearAxisId) =
    let axis =
        LinearAxis.init (
            Title = Title.init (Text = a.Title),
            AxisType = axisType a.Kind,
            Domain = StyleParam.Range.MinMax((fst domain :> IConvertible), (snd domain :> IConvertible)),
            Anchor = anchor,
            ?TickSuffix = a.TickSuffix
        )
    a.Range |> Option.iter (fun (lo, hi) -> axis.SetProperty("range", [| lo; hi |]))
    if a.Reversed then axis.SetProperty("autorange", "reversed")
    axis

/// Builds the whole figure and returns Plotly.NET's figure JSON ({ data, layout, frames }).
let figureJson (fig: Figure) : string =
    let panels = fig.Panels |> List.toArray
    let n = panels.Length
    let mutable shapes = []
    let mutable annotations = []
    let traceCharts =
        [ for i in 0 .. n - 1 do
              let p = panels[i]
              let g = geometry fig i
              let xId, yId, y2Id = i + 1, i + 1, n + i + 1
              for t in p.Traces do
                  let chart =
                      match t.Kind with
                      | "bar" -> bar t
                      | "heatmap" -> heatmap t (g.X1 + 0.01) ((g.Y0 + g.Y1) / 2.0) (g.Y1 - g.Y0)
                      | _ -> scatter t
                  let chart =
                      match t.Opacity with
                      | Some o -> chart |> setRaw "opacity" o
                      | None -> chart
                  let chart =
                      match t.Fill with
                      | Some f -> chart |> setRaw "fill" f
                      | None -> chart
                  let chart =
                      match t.HoverTemplate with
                      | Some h -> chart |> setRaw "hovertemplate" h
                      | None -> chart
                  let chart =
                      match t.LegendGroup with
                      | Some lg -> chart |> setRaw "legendgroup" lg
                      | None -> chart
                  let chart =
                      match t.Text with
                      | Some text -> chart |> setRaw "text" text
                      | None -> chart
                  yield chart |> Chart.withAxisAnchor (X = xId, Y = (if t.SecondaryY then y2Id else yId)) ]
    let mutable chart = if traceCharts.IsEmpty then Chart.Invisible() else Chart.combine traceCharts
    for i in 0 .. n - 1 do
        let p = panels[i]
        let g = geometry fig i
        let xId, yId, y2Id = i + 1, i + 1, n + i + 1
        let xDomain = (g.X0, g.X1)
        let yDomain = (g.Y0, g.Y1)
        chart <- chart |> Chart.withXAxis (axisOf p.XAxis xDomain (StyleParam.LinearAxisId.Y yId), Id = StyleParam.SubPlotId.XAxis xId)
        chart <- chart |> Chart.withYAxis (axisOf p.YAxis yDomain (StyleParam.LinearAxisId.X xId), Id = StyleParam.SubPlotId.YAxis yId)
        match p.Y2Axis with
        | Some a2 ->
            let y2 = axisOf a2 yDomain (StyleParam.LinearAxisId.X xId)
            y2.SetProperty("overlaying", sprintf "y%s" (if yId = 1 then "" else string yId))
            y2.SetProperty("side", "right")
            y2.SetProperty("showgrid", false)
            chart <- chart |> Chart.withYAxis (y2, Id = StyleParam.SubPlotId.YAxis y2Id)
        | None -> ()
        shapes <- shapes @ (p.Shapes |> List.map (shapeOf xId yId))
        annotations <- annotations @ (p.Annotations |> List.map (annotationOf xId yId))
        match p.Title with
        | Some title when fig.Panels.Length > 1 ->
            annotations <-
                annotations
                @ [ annotationOf xId yId
                        { X = box ((g.X0 + g.X1) / 2.0)
                          Y = box g.Y1
                          XRef = "paper"
                          YRef = "paper"
                          Text = sprintf "<b>%s</b>" title
                          Color = None
                          ShowArrow = false
                          Size = Some 13.0
                          XAnchor = Some "center"
                          YAnchor = Some "bottom"
                          BgColor = None } ]
        | _ -> ()
    // The provenance banner ("SIMULATED DATA") sits in the title line itself, so it never collides with a panel title.
    let banner =
        match fig.Banner with
        | Some b -> sprintf "   <span style=\"color:#b00020;font-size:13px\"><b>■ %s</b></span>" b
        | None -> ""
    let title =
        match fig.Subtitle with
        | Some sub -> sprintf "%s%s<br><sup>%s</sup>" fig.Title banner sub
        | None -> fig.Title + banner
    chart <-
        chart
        |> Chart.withTitle (Title.init (Text = title, X = 0.0, XAnchor = StyleParam.XAnchorPosition.Left))
        |> Chart.withShapes shapes
        |> Chart.withAnnotations annotations
        |> Chart.withMarginSize (Top = (if fig.Rows > 1 then 110 else 100), Bottom = 60)
    chart <-
        match fig.Width with
        | Some w -> chart |> Chart.withSize (float w, float fig.Height)
        | None -> chart |> Chart.withSize (Height = fig.Height)
    chart <-
        chart
        |> GenericChart.mapLayout (fun l ->
            fig.BarMode |> Option.iter (fun b -> l.SetProperty("barmode", b))
            // No width: the chart fills its container (autosize). No template: Plotly.NET's default template is large
            // and slow to serialise (about 0.5 s per chart); plotly.js's own defaults look clean.
            if fig.Width.IsNone then
                l.RemoveProperty("width") |> ignore
                l.SetProperty("autosize", true)
            l.RemoveProperty("template") |> ignore
            l.SetProperty("hovermode", "closest")
            l)
    chart |> GenericChart.toFigureJson
