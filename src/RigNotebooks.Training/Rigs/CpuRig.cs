using RigNotebooks.Host;
using RigNotebooks.Model;
using RigNotebooks.Rigs;
using RigNotebooks.TrainingRuns;

namespace RigNotebooks.Training.Rigs;

/// <summary>The <c>cpu</c> rig: this machine's CPU cores as data-parallel replicas, for real training without a GPU.
/// It has no GPUs to describe; it offers <see cref="IDataParallelTraining"/>.</summary>
public sealed class CpuRig : IRig
{
    public const string Kind = "cpu";

    public string Id => Kind;

    public DataSource Source => DataSource.Measured;

    public RigDescription Describe() => HostDescription.Describe(Kind);

    public Capability<T> Get<T>()
        where T : class =>
        typeof(T) == typeof(IDataParallelTraining) ? Capability<T>.Of((T)(object)new TorchDataParallelTraining(cuda: false))
        : typeof(T) == typeof(ITrainingBenchmark) ? Capability<T>.Of((T)(object)new CpuTrainingBenchmark())
        : Capability<T>.Unavailable($"the cpu rig only trains on CPU replicas; it has no {typeof(T).Name}");

    public void Dispose()
    {
    }
}

/// <summary>Registers the rig kinds the training assembly provides (<c>cpu</c>, <c>cuda</c>). The CLI calls this at
/// start-up when it is built with training.</summary>
public static class TrainingRigs
{
    public static void Register()
    {
        RigSelector.Register(CpuRig.Kind, _ => new CpuRig());
        RigSelector.Register(CudaTorchRig.Kind, _ => new CudaTorchRig());
    }
}
