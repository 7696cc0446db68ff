using RigNotebooks.Captures;
using RigNotebooks.Data;
using RigNotebooks.Errors;
using RigNotebooks.Hardware;
using RigNotebooks.Profiles;
using RigNotebooks.Simulation;

namespace RigNotebooks.Rigs;

/// <summary>Opens a rig from its selection string — the one way to choose a rig everywhere (CLI, notebooks, tests):
/// <c>sim:&lt;profile&gt;</c>, <c>sim:&lt;path.json&gt;</c>, <c>local</c> (this machine's NVIDIA GPUs),
/// <c>capture:&lt;dir&gt;</c> (a real rig replayed from a capture), or a registered kind.</summary>
public static class RigSelector
{
    public const string DefaultRig = "sim:blog-3x3090";

    private static readonly Dictionary<string, Func<RigOpenOptions, IRig>> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        [LocalRig.Kind] = options => LocalRig.Open(options),
    };

    /// <summary>Registers a non-simulated rig kind (e.g. <c>local</c>), so the core needs no reference to its implementation.</summary>
    public static void Register(string kind, Func<RigOpenOptions, IRig> open)
    {
        lock (Kinds)
        {
            Kinds[kind] = open;
        }
    }

    public static IRig Open(string? selection, RigOpenOptions? options = null)
    {
        options ??= RigOpenOptions.Default;
        var spec = string.IsNullOrWhiteSpace(selection) ? DefaultRig : selection.Trim();
        if (spec.StartsWith("sim:", StringComparison.OrdinalIgnoreCase))
        {
            var target = spec[4..];
            var profile = LooksLikePath(target)
                ? RigProfileLoader.LoadFile(target, options.Data)
                : RigProfileLoader.LoadEmbedded(target, options.Data);
            return new SimulatedRig(profile, spec, options.Data, options.Simulation);
        }

        if (spec.StartsWith(CapturedRig.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return CapturedRig.Open(spec[CapturedRig.Prefix.Length..], spec);
        }

        Func<RigOpenOptions, IRig>? open;
        lock (Kinds)
        {
            Kinds.TryGetValue(spec, out open);
        }

        return open is not null
            ? open(options)
            : throw new RigInputException(
                $"Unknown rig '{spec}'. Use sim:<profile> with one of: {string.Join(", ", RigProfileLoader.EmbeddedNames)}; " +
                $"sim:<path.json> for your own profile; capture:<dir> for a captured real rig; {string.Join(", ", KnownKinds.Select(k => $"'{k}'"))}.");
    }

    /// <summary>Rig kinds other than <c>sim:</c> that this process can open.</summary>
    public static IReadOnlyList<string> KnownKinds
    {
        get
        {
            lock (Kinds)
            {
                return Kinds.Keys.Order(StringComparer.Ordinal).ToList();
            }
        }
    }

    private static bool LooksLikePath(string target) =>
        target.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || target.Contains('/') || target.Contains('\\');
}

/// <summary>How to open a rig: reference data, simulation knobs, and the environment seen by probes.</summary>
public sealed record RigOpenOptions(ReferenceData Data, SimulationOptions Simulation)
{
    public static RigOpenOptions Default { get; } = new(ReferenceData.Default, SimulationOptions.FromEnvironment());
}
