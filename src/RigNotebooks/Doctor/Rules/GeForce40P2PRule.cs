namespace RigNotebooks.Doctor.Rules;

/// <summary>GPU models whose stock driver disables PCIe P2P (GeForce 40-series), per data/gpus.json.</summary>
public sealed class GeForce40P2PRule : IDoctorRule
{
    public IEnumerable<Finding> Check(DoctorInput input)
    {
        if (input.Rig.Gpus.Count < 2)
        {
            yield break;
        }

        var noP2P = input.Rig.Gpus
            .Where(g => input.Data.FindGpu(g.Name) is { P2PInStockDriver: false })
            .ToList();
        if (noP2P.Count == 0)
        {
            yield break;
        }

        var model = input.Data.FindGpu(noP2P[0].Name)!;
        yield return new Finding(
            "p2p-disabled-by-driver",
            Severity.Warning,
            $"{model.Name}: no PCIe P2P in the stock driver",
            $"GPU {string.Join(", ", noP2P.Select(g => g.Index))} ({model.Name}): the stock driver disables peer access, so NCCL stages GPU-to-GPU traffic through host memory (published: 2x RTX 4090 uni 12.0 GB/s, latency ~11 us).",
            "Expect P2P-off bandwidth and plan for it; patched open kernel modules enable P2P on these cards at your own risk, or choose cards with P2P (RTX 3090, workstation cards).",
            model.Sources);
    }
}
