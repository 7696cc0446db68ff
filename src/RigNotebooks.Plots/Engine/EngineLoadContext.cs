using System.Reflection;
using System.Runtime.Loader;

namespace RigNotebooks.Plots.Engine;

/// <summary>A private load context for the chart engine: Plotly.NET, its FSharp.Core 10.1, DynamicObj, Newtonsoft.Json
/// and the rest are loaded from this assembly's embedded resources, never from the host's default context, so a host
/// that already runs another FSharp.Core (dotnet repl and dotnet-interactive ship 10.0) draws charts all the same.
/// Anything not embedded (the .NET framework itself) falls back to the default context.</summary>
internal sealed class EngineLoadContext() : AssemblyLoadContext("RigNotebooks.Plots.Engine", isCollectible: false)
{
    internal const string ResourcePrefix = "engine/";

    private static readonly Assembly Host = typeof(EngineLoadContext).Assembly;

    /// <summary>The simple names of the embedded assemblies.</summary>
    internal static IReadOnlyList<string> EmbeddedNames { get; } = Host.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".dll", StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..^".dll".Length])
        .ToList();

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null || !EmbeddedNames.Contains(assemblyName.Name, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        using var stream = Host.GetManifestResourceStream(ResourcePrefix + assemblyName.Name + ".dll")
            ?? throw new InvalidOperationException($"The chart engine resource for {assemblyName.Name} is missing from {Host.GetName().Name}.");
        return LoadFromStream(stream);
    }
}
