using System.Collections.Concurrent;
using RigNotebooks.Data;
using RigNotebooks.Errors;
using RigNotebooks.Interop.Cuda;
using RigNotebooks.Interop.Nvml;
using RigNotebooks.Model;
using RigNotebooks.Probes;
using RigNotebooks.Rigs;

namespace RigNotebooks.Hardware;

/// <summary>
/// This machine's NVIDIA GPUs (<c>--rig local</c>): the description comes from NVML and the Linux probes, every figure
/// measured; what cannot be read is listed in <see cref="RigDescription.Unknowns"/> or answered "no, because …".
/// Measurement capabilities (bandwidth, telemetry, power control, collectives) are registered in
/// <see cref="LocalCapabilities"/> and built on the NVML, CUDA and NCCL wrappers this rig hands out.
/// </summary>
public sealed class LocalRig : IRig
{
    public const string Kind = "local";

    private readonly ConcurrentDictionary<Type, Lazy<(object? Value, string? WhyNot)>> capabilities = new();
    private readonly Lazy<RigDescription> description;
    private readonly Lazy<IReadOnlyList<NvmlDevice>> devices;

    private LocalRig(NvmlSession nvml, LinuxHost host, ReferenceData data, LocalRigOptions options)
    {
        Nvml = nvml;
        Host = host;
        Data = data;
        Options = options;
        devices = new Lazy<IReadOnlyList<NvmlDevice>>(nvml.Devices);
        description = new Lazy<RigDescription>(() => LocalDescriptionBuilder.Build(Id, NvmlSnapshot.Capture(Nvml), Host, Data));
    }

    public string Id => Kind;

    public DataSource Source => DataSource.Measured;

    /// <summary>The open NVML session (for telemetry and power control).</summary>
    public NvmlSession Nvml { get; }

    /// <summary>What the Linux probes read when the rig was opened.</summary>
    public LinuxHost Host { get; }

    public ReferenceData Data { get; }

    public LocalRigOptions Options { get; }

    /// <summary>Opens the local rig. Throws a <see cref="RigEnvironmentException"/> (CLI exit 3) when NVML cannot be
    /// loaded — naming where it looked and what to install — or cannot initialise (no driver loaded, mismatch).</summary>
    public static LocalRig Open(RigOpenOptions? options = null, LocalRigOptions? local = null)
    {
        options ??= RigOpenOptions.Default;
        local ??= LocalRigOptions.FromEnvironment();
        var nvml = NvmlSession.Open();
        try
        {
            return new LocalRig(nvml, LinuxHost.Read(new SystemRoot(local.SystemRoot)), options.Data, local);
        }
        catch
        {
            nvml.Dispose();
            throw;
        }
    }

    public RigDescription Describe() => description.Value;

    /// <summary>The NVML device of rig GPU <paramref name="gpuIndex"/> (rig indices are NVML indices: PCI bus order, as nvidia-smi).</summary>
    public NvmlDevice NvmlDevice(int gpuIndex) => devices.Value[gpuIndex];

    /// <summary>The CUDA driver, initialised; throws a <see cref="RigEnvironmentException"/> when libcuda.so.1 is missing or cuInit fails.</summary>
    public CudaDriver Cuda() => CudaDriver.Initialize();

    /// <summary>The CUDA device of rig GPU <paramref name="gpuIndex"/>, matched by PCI bus id (CUDA's own order differs).</summary>
    public CudaDevice CudaDevice(int gpuIndex)
    {
        var busId = Describe().Gpus[gpuIndex].PciBusId;
        return Cuda().DeviceByPciBusId(busId)
            ?? throw new RigEnvironmentException($"The CUDA driver lists no device at PCI {busId} (rig GPU {gpuIndex}); is CUDA_VISIBLE_DEVICES hiding it?");
    }

    /// <summary>A reader of rig GPU <paramref name="gpuIndex"/>'s VRAM temperature: NVML's field, else the opt-in
    /// register reader, else unavailable with the reason.</summary>
    public VramTemperatureReader VramTemperature(int gpuIndex)
    {
        var gpu = Describe().Gpus[gpuIndex];
        return VramTemperatureReader.For(NvmlDevice(gpuIndex), Host.Pci.Find(gpu.PciBusId), Host, Options, IsRoot());
    }

    public Capability<T> Get<T>()
        where T : class
    {
        var entry = capabilities.GetOrAdd(typeof(T), type => new Lazy<(object?, string?)>(() => Create(type)));
        var (value, whyNot) = entry.Value;
        return value is T typed
            ? Capability<T>.Of(typed)
            : Capability<T>.Unavailable(whyNot ?? $"the local rig has no implementation of {typeof(T).Name}");
    }

    public void Dispose()
    {
        foreach (var entry in capabilities.Values.Where(e => e.IsValueCreated))
        {
            (entry.Value.Value as IDisposable)?.Dispose();
        }

        Nvml.Dispose();
    }

    /// <summary>Whether this process runs as root (effective uid 0).</summary>
    public static bool IsRoot() => Environment.IsPrivilegedProcess;

    private (object? Value, string? WhyNot) Create(Type type)
    {
        if (!LocalCapabilities.Factories.TryGetValue(type, out var factory))
        {
            return (null, $"the local rig has no implementation of {type.Name} yet");
        }

        try
        {
            return (factory(this), null);
        }
        catch (RigEnvironmentException ex)
        {
            return (null, ex.Message);
        }
    }
}
