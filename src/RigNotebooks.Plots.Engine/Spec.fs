/// Reads the figure spec that RigNotebooks.Plots sends across the AssemblyLoadContext boundary as JSON.
/// The C# side (RigNotebooks.Plots.Spec.FigureSpec) is the source of truth for the shape; this is its reader.
module RigNotebooks.Plots.Engine.Spec

open System.Text.Json

type Axis =
    { Title: string
      Kind: string // linear | log | category
      Range: (float * float) option
      TickSuffix: string option
      Reversed: bool }

type Trace =
    { Kind: string // lines | markers | lines+markers | bar | heatmap
      Name: string
      X: obj[]
      Y: obj[]
      Z: obj[][] option
      Text: string[] option
      Color: string option
      Dash: string option
      Width: float option
      Symbol: string option
      Size: float option
      SecondaryY: bool
      ShowLegend: bool
      LegendGroup: string option
      ColorScale: string option
      ReverseScale: bool
      ZMin: float option
      ZMax: float option
      ColorBarTitle: string option
      ShowScale: bool
      HoverTemplate: string option
      Fill: string option
      Opacity: float option }

type Shape =
    { Kind: string // rect | line
      X0: obj
      X1: obj
      Y0: obj
      Y1: obj
      XRef: string // data | paper
      YRef: string // data | domain
      Color: string
      Opacity: float
      Dash: string option
      Width: float option }

type Annotation =
    { X: obj
      Y: obj
      XRef: string // data | paper | domain
      YRef: string
      Text: string
      Color: string option
      ShowArrow: bool
      Size: float option
      XAnchor: string option
      YAnchor: string option
      BgColor: string option }

type Panel =
    { Title: string option
      XAxis: Axis
      YAxis: Axis
      Y2Axis: Axis option
      Traces: Trace list
      Shapes: Shape list
      Annotations: Annotation list }

type Figure =
    { Title: string
      Subtitle: string option
      Banner: string option
      Rows: int
      Cols: int
      Height: int
      Width: int option
      BarMode: string option
      Panels: Panel list }

let private prop (e: JsonElement) (name: string) =
    match e.TryGetProperty name with
    | true, v when v.ValueKind <> JsonValueKind.Null && v.ValueKind <> JsonValueKind.Undefined -> Some v
    | _ -> None

let private str e name = prop e name |> Option.map (fun v -> v.GetString())
let private strOr e name fallback = defaultArg (str e name) fallback
let private num e name = prop e name |> Option.map (fun v -> v.GetDouble())
let private boolOr e name fallback = prop e name |> Option.map (fun v -> v.GetBoolean()) |> Option.defaultValue fallback

let private scalar (v: JsonElement) : obj =
    match v.ValueKind with
    | JsonValueKind.Number -> box (v.GetDouble())
    | JsonValueKind.String -> box (v.GetString())
    | JsonValueKind.True -> box true
    | JsonValueKind.False -> box false
    | _ -> null

let private array (e: JsonElement) name =
    match prop e name with
    | Some v -> [| for x in v.EnumerateArray() -> scalar x |]
    | None -> [||]

let private list (e: JsonElement) name f =
    match prop e name with
    | Some v -> [ for x in v.EnumerateArray() -> f x ]
    | None -> []

let private axis (e: JsonElement) =
    { Title = strOr e "title" ""
      Kind = strOr e "kind" "linear"
      Range =
        match prop e "range" with
        | Some r ->
            let a = [| for x in r.EnumerateArray() -> x.GetDouble() |]
            Some(a[0], a[1])
        | None -> None
      TickSuffix = str e "tickSuffix"
      Reversed = boolOr e "reversed" false }

let private trace (e: JsonElement) =
    { Kind = strOr e "kind" "lines"
      Name = strOr e "name" ""
      X = array e "x"
      Y = array e "y"
      Z =
        match prop e "z" with
        | Some z -> Some [| for row in z.EnumerateArray() -> [| for c in row.EnumerateArray() -> scalar c |] |]
        | None -> None
      Text = prop e "text" |> Option.map (fun t -> [| for x in t.EnumerateArray() -> x.GetString() |])
      Color = str e "color"
      Dash = str e "dash"
      Width = num e "width"
      Symbol = str e "symbol"
      Size = num e "size"
      SecondaryY = boolOr e "secondaryY" false
      ShowLegend = boolOr e "showLegend" true
      LegendGroup = str e "legendGroup"
      ColorScale = str e "colorScale"
      ReverseScale = boolOr e "reverseScale" false
      ZMin = num e "zMin"
      ZMax = num e "zMax"
      ColorBarTitle = str e "colorBarTitle"
      ShowScale = boolOr e "showScale" true
      HoverTemplate = str e "hoverTemplate"
      Fill = str e "fill"
      Opacity = num e "opacity" }

let private shape (e: JsonElement) =
    let at n = prop e n |> Option.map scalar |> Option.defaultValue null
    { Kind = strOr e "kind" "rect"
      X0 = at "x0"
      X1 = at "x1"
      Y0 = at "y0"
      Y1 = at "y1"
      XRef = strOr e "xRef" "data"
      YRef = strOr e "yRef" "data"
      Color = strOr e "color" "#888"
      Opacity = num e "opacity" |> Option.defaultValue 1.0
      Dash = str e "dash"
      Width = num e "width" }

let private annotation (e: JsonElement) =
    let at n = prop e n |> Option.map scalar |> Option.defaultValue null
    { X = at "x"
      Y = at "y"
      XRef = strOr e "xRef" "data"
      YRef = strOr e "yRef" "data"
      Text = strOr e "text" ""
      Color = str e "color"
      ShowArrow = boolOr e "showArrow" false
      Size = num e "size"
      XAnchor = str e "xAnchor"
      YAnchor = str e "yAnchor"
      BgColor = str e "bgColor" }

let private panel (e: JsonElement) =
    { Title = str e "title"
      XAxis = prop e "xAxis" |> Option.map axis |> Option.defaultValue (axis (JsonDocument.Parse("{}").RootElement))
      YAxis = prop e "yAxis" |> Option.map axis |> Option.defaultValue (axis (JsonDocument.Parse("{}").RootElement))
      Y2Axis = prop e "y2Axis" |> Option.map axis
      Traces = list e "traces" trace
      Shapes = list e "shapes" shape
      Annotations = list e "annotations" annotation }

let parse (json: string) : Figure =
    use doc = JsonDocument.Parse json
    let e = doc.RootElement
    { Title = strOr e "title" ""
      Subtitle = str e "subtitle"
      Banner = str e "banner"
      Rows = prop e "rows" |> Option.map (fun v -> v.GetInt32()) |> Option.defaultValue 1
      Cols = prop e "cols" |> Option.map (fun v -> v.GetInt32()) |> Option.defaultValue 1
      Height = prop e "height" |> Option.map (fun v -> v.GetInt32()) |> Option.defaultValue 450
      Width = prop e "width" |> Option.map (fun v -> v.GetInt32())
      BarMode = str e "barMode"
      Panels = list e "panels" panel }
