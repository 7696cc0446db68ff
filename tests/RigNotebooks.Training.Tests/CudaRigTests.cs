using RigNotebooks.Simulation.Physics;
using RigNotebooks.Training.Model;
using RigNotebooks.Training.Parallel;
using RigNotebooks.Training.Rigs;
using RigNotebooks.TrainingRuns;

namespace RigNotebooks.Training.Tests;

/// <summary>The GPU side of training as far as a machine without CUDA can check it: the options a GPU run uses, and
/// a clear refusal where TorchSharp has no CUDA.</summary>
public sealed class CudaRigTests
{
    [Fact]
    public void Gpu_replicas_run_one_per_device_in_bf16_autocast()
    {
        var options = TrainerOptions.Cuda(ShapeRules.ByName("tiny"), 3, 12);

        Assert.Equal(["cuda:0", "cuda:1", "cuda:2"], options.Devices);
        Assert.Equal(Precision.Bf16Autocast, options.Precision);
        Assert.Equal(Precision.Fp32, TrainerOptions.Cpu(ShapeRules.ByName("tiny"), 2, 4).Precision);
        options.Validate();
    }

    [Fact]
    public void Without_a_cuda_libtorch_the_cuda_rig_refuses_and_names_the_build_switch()
    {
        if (TorchSharp.torch.cuda.is_available())
        {
            return; // a CUDA libtorch on a GPU machine: the refusal does not apply
        }

        using var rig = new CudaTorchRig();
        var training = rig.Get<IDataParallelTraining>();

        Assert.False(training.IsAvailable);
        Assert.Contains("-p:RigLibTorch=cuda", training.WhyNot, StringComparison.Ordinal);
    }
}
