using RigNotebooks.Host;
using RigNotebooks.Model;
using RigNotebooks.Rigs;
using RigNotebooks.Training.Native;
using RigNotebooks.TrainingRuns;
using TorchSharp;

namespace RigNotebooks.Training.Rigs;

/// <summary>The <c>cuda</c> rig: this machine's NVIDIA GPUs as data-parallel replicas of the reference model through
/// TorchSharp (one replica per GPU, bf16 autocast, gradients over NCCL). It needs the CUDA libtorch, which the default
/// build does not carry (<c>-p:RigLibTorch=cuda</c>); without it every capability says so. For P2P off, start it
/// with <c>NCCL_P2P_DISABLE=1</c> in the environment (NCCL reads it once per process).</summary>
public sealed class CudaTorchRig : IRig
{
    public const string Kind = "cuda";

    public string Id => Kind;

    public DataSource Source => DataSource.Measured;

    public RigDescription Describe() => HostDescription.Describe(Kind);

    public Capability<T> Get<T>()
        where T : class
    {
        if (typeof(T) != typeof(IDataParallelTraining))
        {
            return Capability<T>.Unavailable($"the cuda rig only trains the reference model on GPUs; it has no {typeof(T).Name} (use --rig local)");
        }

        return WhyNot() is { } reason
            ? Capability<T>.Unavailable(reason)
            : Capability<T>.Of((T)(object)new TorchDataParallelTraining(cuda: true));
    }

    public void Dispose()
    {
    }

    /// <summary>Why TorchSharp cannot train on CUDA here, or null when it can.</summary>
    public static string? WhyNot()
    {
        TorchSharpLoader.EnsureLoadable();
        return torch.cuda.is_available()
            ? null
            : "TorchSharp sees no CUDA device: this build carries the CPU libtorch (the default). On a machine with the NVIDIA " +
              "driver, build with -p:RigLibTorch=cuda (the CUDA 12.8 libtorch) and check `nvidia-smi`";
    }
}
