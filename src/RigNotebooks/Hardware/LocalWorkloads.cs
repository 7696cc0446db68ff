using RigNotebooks.Errors;
using RigNotebooks.Telemetry;
using RigNotebooks.Workloads;

namespace RigNotebooks.Hardware;

/// <summary>The local rig's built-in workloads: <c>burn</c> (<see cref="CudaBurnWorkload"/>).</summary>
internal sealed class LocalWorkloads(LocalRig rig) : IWorkloadProvider
{
    public IReadOnlyList<string> Names { get; } = ["burn"];

    public IWorkload Create(string name, IReadOnlyList<int>? gpus = null)
    {
        if (!string.Equals(name, "burn", StringComparison.OrdinalIgnoreCase))
        {
            throw new RigInputException($"The local rig has no built-in workload '{name}'; it offers: {string.Join(", ", Names)} (or give a command after `--`).");
        }

        var count = rig.Describe().Gpus.Count;
        var which = gpus ?? Enumerable.Range(0, count).ToList();
        if (which.Any(g => g < 0 || g >= count))
        {
            throw new RigInputException($"GPU indices must be 0..{count - 1}.");
        }

        _ = rig.Cuda(); // fails here, with the install hint, when libcuda.so.1 is missing
        return new CudaBurnWorkload(rig, which, WallClock.Shared);
    }
}
