using RigNotebooks.Doctor;

namespace RigNotebooks.Workloads;

/// <summary>
/// Something that keeps the GPUs busy and reports how much work it did, so a power sweep can divide energy by work.
/// Implementations: the built-in burn (a PTX FMA kernel with a fixed amount of work per launch), the simulated workload,
/// and an external command. Start it, read its <see cref="Meter"/> over any window of the rig's clock, stop it.
/// </summary>
public interface IWorkload : IAsyncDisposable
{
    /// <summary>What runs, for people: "FMA burn on GPUs 0,1,2", "command: python train.py".</summary>
    string Name { get; }

    /// <summary>The unit of work, singular ("TFLOP", "sample", "step"); throughput is in these per second.</summary>
    string Unit { get; }

    /// <summary>Work done so far, by the rig clock.</summary>
    WorkMeter Meter { get; }

    /// <summary>Starts the work in the background and returns once it runs.</summary>
    Task StartAsync(CancellationToken ct);

    /// <summary>Stops the work and waits for it to wind down.</summary>
    Task StopAsync();

    /// <summary>Why the workload stopped working (exited, went silent, timed out), or null while it is healthy.</summary>
    string? Failure { get; }

    /// <summary>Problems seen while it ran (a non-zero exit, silence, a timeout), as findings.</summary>
    IReadOnlyList<Finding> Findings { get; }
}

/// <summary>A rig capability: the workloads built into the rig (<c>burn</c> everywhere; the simulated rig's are simulated).</summary>
public interface IWorkloadProvider
{
    /// <summary>The names <see cref="Create"/> accepts.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>A workload by name on the given GPUs (all GPUs when null).</summary>
    IWorkload Create(string name, IReadOnlyList<int>? gpus = null);
}
