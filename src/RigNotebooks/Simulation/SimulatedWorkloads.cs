using System.Globalization;
using RigNotebooks.Doctor;
using RigNotebooks.Errors;
using RigNotebooks.Workloads;

namespace RigNotebooks.Simulation;

/// <summary>The simulated rig's built-in workloads. <c>burn</c>: a compute-bound FMA burn (memory-bound share 0), whose
/// work is FP32 TFLOP at the datasheet rate (data/gpus.json) times the DVFS model's relative throughput — an ideal kernel;
/// a real one reaches somewhat less of the peak. <c>train</c>: the data-parallel training step of the reference
/// transformer (<see cref="SimulatedTraining"/>), in tokens.</summary>
internal sealed class SimulatedWorkloads(SimulatedGpuState state) : IWorkloadProvider
{
    public IReadOnlyList<string> Names { get; } = ["burn", "train"];

    public IWorkload Create(string name, IReadOnlyList<int>? gpus = null)
    {
        var train = string.Equals(name, "train", StringComparison.OrdinalIgnoreCase);
        if (!train && !string.Equals(name, "burn", StringComparison.OrdinalIgnoreCase))
        {
            throw new RigInputException($"The simulated rig has no workload '{name}'; it offers: {string.Join(", ", Names)}.");
        }

        var which = gpus ?? Enumerable.Range(0, state.GpuCount).ToList();
        foreach (var g in which)
        {
            if (g < 0 || g >= state.GpuCount)
            {
                throw new RigInputException($"GPU {g} is not on this rig (it has {state.GpuCount}).");
            }
        }

        return train ? new SimulatedTraining(state, which) : new SimulatedBurn(state, which);
    }

    private sealed class SimulatedBurn(SimulatedGpuState state, IReadOnlyList<int> gpus) : IWorkload
    {
        public string Name { get; } = $"simulated FMA burn (compute-bound) on GPU {string.Join(",", gpus.Select(g => g.ToString(CultureInfo.InvariantCulture)))}";

        public string Unit => "TFLOP";

        public WorkMeter Meter { get; } = new();

        public string? Failure => null;

        public IReadOnlyList<Finding> Findings => [];

        public Task StartAsync(CancellationToken ct)
        {
            Meter.Begin(state.Clock.NowS, gpus);
            foreach (var g in gpus)
            {
                state.SetLoad([g], busy: true, memoryBoundFraction: 0, unitsPerSAtFullClock: state.Rig.ModelOf(g).Fp32Tflops, Meter);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync()
        {
            state.SetLoad(gpus, busy: false);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            state.SetLoad(gpus, busy: false);
            return ValueTask.CompletedTask;
        }
    }
}
