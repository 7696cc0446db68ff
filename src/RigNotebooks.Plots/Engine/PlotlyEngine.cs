using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using RigNotebooks.Plots.Spec;

namespace RigNotebooks.Plots.Engine;

/// <summary>Calls the embedded Plotly.NET engine across its load context. Only strings cross: a figure spec as JSON
/// in, Plotly figure JSON out; plotly.js itself comes from the Plotly.NET assembly we ship, never from a CDN.</summary>
internal static class PlotlyEngine
{
    private const string EntryType = "RigNotebooks.Plots.Engine.Entry";

    private static readonly Lazy<Api> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<string> Script = new(() => Loaded.Value.PlotlyJs(), LazyThreadSafetyMode.ExecutionAndPublication);

    internal static JsonSerializerOptions SpecJson { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The load context the engine runs in (for tests that prove the isolation).</summary>
    internal static System.Runtime.Loader.AssemblyLoadContext Context => Loaded.Value.Context;

    public static string PlotlyJsVersion => Loaded.Value.PlotlyJsVersion();

    public static string PlotlyJs => Script.Value;

    public static string Render(FigureSpec spec) => Loaded.Value.Render(JsonSerializer.Serialize(spec, SpecJson));

    private static Api Load()
    {
        var context = new EngineLoadContext();
        var assembly = context.LoadFromAssemblyName(new AssemblyName("RigNotebooks.Plots.Engine"));
        var entry = assembly.GetType(EntryType, throwOnError: true)!;
        return new Api(
            context,
            Method<Func<string, string>>(entry, "Render"),
            Method<Func<string>>(entry, "PlotlyJsVersion"),
            Method<Func<string>>(entry, "PlotlyJs"));
    }

    private static T Method<T>(Type entry, string name)
        where T : Delegate =>
        (entry.GetMethod(name, BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"The chart engine has no {EntryType}.{name}.")).CreateDelegate<T>();

    private sealed record Api(
        System.Runtime.Loader.AssemblyLoadContext Context,
        Func<string, string> Render,
        Func<string> PlotlyJsVersion,
        Func<string> PlotlyJs);
}
