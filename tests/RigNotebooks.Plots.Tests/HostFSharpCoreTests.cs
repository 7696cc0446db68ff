using System.Runtime.Loader;
using Microsoft.FSharp.Core;
using RigNotebooks.Plots.Engine;

namespace RigNotebooks.Plots.Tests;

/// <summary>The situation of dotnet repl 0.3.259 and dotnet-interactive: FSharp.Core 10.0 is already loaded in the default
/// load context. This test process is in that situation too (its FSharp.Core is 10.0.x, see the csproj). Plotly.NET 6
/// needs FSharp.Core 10.1, and charts must still draw.</summary>
public class HostFSharpCoreTests
{
    [Fact]
    public void Charts_draw_in_a_process_whose_default_context_already_runs_FSharp_Core_10_0()
    {
        // 1. The host's FSharp.Core: 10.0, in the default context, loaded before any chart.
        var hostFSharp = typeof(FSharpOption<int>).Assembly;
        Assert.Equal(new Version(10, 0, 0, 0), hostFSharp.GetName().Version);
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(hostFSharp));
        Assert.Equal(1, FSharpOption<int>.Some(1).Value);

        // 2. A chart through our public API.
        var figure = Charts.Scaling(ChartData.FromRows(Rows.Scaling(), "sim:blog-3x3090"));
        Assert.Contains("\"P2P on\"", figure.ToPlotlyJson(), StringComparison.Ordinal);

        // 3. Plotly.NET and FSharp.Core 10.1 ran in the engine's own context; the default context still has only 10.0.
        var engine = PlotlyEngine.Context;
        Assert.IsType<EngineLoadContext>(engine);
        Assert.Contains(engine.Assemblies, a => a.GetName().Name == "Plotly.NET");
        Assert.Contains(engine.Assemblies, a => a.GetName().Name == "FSharp.Core" && a.GetName().Version == new Version(10, 1, 0, 0));
        Assert.DoesNotContain(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name == "Plotly.NET");
        Assert.All(AssemblyLoadContext.Default.Assemblies.Where(a => a.GetName().Name == "FSharp.Core"), a => Assert.Equal(new Version(10, 0, 0, 0), a.GetName().Version));
    }
}
