using System.CommandLine;
using RigNotebooks.Results;
using RigNotebooks.Rigs;

namespace RigNotebooks.Cli;

/// <summary>The options every command takes: which rig, JSON output, and where runs are written.</summary>
public sealed class GlobalOptions
{
    public Option<string> Rig { get; } = new("--rig")
    {
        Description = "The rig: sim:<profile> (e.g. sim:blog-3x3090), sim:<path.json>, local (this machine's NVIDIA GPUs), or capture:<dir> (a real rig replayed from a capture).",
        DefaultValueFactory = _ => RigSelector.DefaultRig,
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Write machine-readable JSON to stdout and nothing else there.",
        Recursive = true,
    };

    public Option<string> Results { get; } = new("--results")
    {
        Description = "The folder runs are written to.",
        DefaultValueFactory = _ => RunStore.DefaultRoot,
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Rig);
        root.Options.Add(Json);
        root.Options.Add(Results);
    }
}
