namespace RigNotebooks.Plots.Engine

open System.IO

/// The only entry points RigNotebooks.Plots calls (by reflection, across its AssemblyLoadContext): strings in,
/// strings out, so no Plotly.NET or FSharp.Core type ever reaches the host's default context.
type Entry =
    /// Figure spec JSON in, Plotly figure JSON ({ data, layout, frames }) out.
    static member Render(specJson: string) : string = Build.figureJson (Spec.parse specJson)

    /// The plotly.js that Plotly.NET 6 was built against and embeds: its resource name carries the version.
    static member private PlotlyJsResource() =
        let asm = typeof<Plotly.NET.GenericChart>.Assembly
        let prefix = "Plotly.NET.plotly-"
        let suffix = ".min.js"
        match asm.GetManifestResourceNames() |> Array.tryFind (fun n -> n.StartsWith prefix && n.EndsWith suffix) with
        | Some name -> asm, name, name.Substring(prefix.Length, name.Length - prefix.Length - suffix.Length)
        | None -> invalidOp "Plotly.NET does not embed plotly.js"

    /// The plotly.js version that Plotly.NET 6 was built against (and ships inside its assembly).
    static member PlotlyJsVersion() : string =
        let _, _, version = Entry.PlotlyJsResource()
        version

    /// The minified plotly.js that Plotly.NET embeds (byte-identical to npm plotly.js-dist-min at that version),
    /// so charts draw offline without fetching anything.
    static member PlotlyJs() : string =
        let asm, name, _ = Entry.PlotlyJsResource()
        use stream = asm.GetManifestResourceStream name
        use reader = new StreamReader(stream)
        reader.ReadToEnd()
