namespace RigNotebooks.Training.Model;

/// <summary>How the model computes. TorchSharp 0.107 has no torch.autocast, so <see cref="Bf16Autocast"/> does what
/// autocast does for a transformer by hand: the weights stay fp32 (the optimizer's master copy), every matrix multiply
/// (the linear layers and attention) takes bf16 inputs and its result is cast back to fp32; norms, softmax-cross-entropy
/// and the residual stream stay fp32. Meant for CUDA (tensor cores); on CPU it runs, slowly.</summary>
public enum Precision
{
    Fp32,
    Bf16Autocast,
}
