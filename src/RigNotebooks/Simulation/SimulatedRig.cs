using System.Collections.Concurrent;
using RigNotebooks.Data;
using RigNotebooks.Model;
using RigNotebooks.Profiles;
using RigNotebooks.Rigs;

namespace RigNotebooks.Simulation;

/// <summary>A rig computed from a profile: deterministic for a seed, every figure it yields marked simulated.</summary>
public sealed class SimulatedRig : IRig
{
    private readonly Lazy<RigDescription> description;
    private readonly ConcurrentDictionary<Type, object?> capabilities = new();

    public SimulatedRig(RigProfile profile, string id, ReferenceData? data = null, SimulationOptions? options = null)
    {
        Profile = profile;
        Id = id;
        Data = data ?? ReferenceData.Default;
        Options = options ?? SimulationOptions.Default;
        description = new Lazy<RigDescription>(() => SimulatedDescription.Build(Profile, Id, Data));
    }

    public string Id { get; }

    public DataSource Source => DataSource.Simulated;

    public RigProfile Profile { get; }

    public ReferenceData Data { get; }

    public SimulationOptions Options { get; }

    /// <summary>The datasheet of each GPU, by index.</summary>
    public GpuModelSpec ModelOf(int gpuIndex) => Data.FindGpu(Profile.Gpus[gpuIndex].Model)!;

    public RigDescription Describe() => description.Value;

    public Capability<T> Get<T>()
        where T : class
    {
        var value = capabilities.GetOrAdd(typeof(T), type =>
            SimulatedCapabilities.Factories.TryGetValue(type, out var factory) ? factory(this) : null);
        return value is T typed
            ? Capability<T>.Of(typed)
            : Capability<T>.Unavailable($"the simulated rig has no model for {typeof(T).Name}");
    }

    public void Dispose()
    {
        foreach (var value in capabilities.Values)
        {
            (value as IDisposable)?.Dispose();
        }
    }
}
