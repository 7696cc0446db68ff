namespace RigNotebooks.Doctor.Rules;

/// <summary><c>NCCL_P2P_DISABLE</c> in the environment: the slow stop-gap left switched on.</summary>
public sealed class NcclP2PDisabledRule : IDoctorRule
{
    public IEnumerable<Finding> Check(DoctorInput input)
    {
        if (input.Environment.TryGetValue("NCCL_P2P_DISABLE", out var value) && value.Trim() is not ("" or "0"))
        {
            yield return new Finding(
                "nccl-p2p-disabled",
                Severity.Warning,
                "NCCL_P2P_DISABLE is set: NCCL stages GPU-to-GPU traffic through host memory",
                $"NCCL_P2P_DISABLE={value} in this environment. It avoids a P2P hang but makes collectives slow (the reference rig's 'punitively slow' DDP).",
                "Fix P2P instead (driver, IOMMU, ACS; see the other findings and `rig doctor --deep`), then unset NCCL_P2P_DISABLE. Keep it only as a stop-gap.");
        }

        if (input.Environment.TryGetValue("NCCL_P2P_LEVEL", out var level) && !string.IsNullOrWhiteSpace(level))
        {
            yield return new Finding(
                "nccl-p2p-level",
                Severity.Hint,
                $"NCCL_P2P_LEVEL={level} limits where NCCL uses P2P",
                $"NCCL_P2P_LEVEL={level} in this environment restricts P2P to GPU pairs at or nearer than {level} in `rig topo`.",
                "Leave it if it was set on purpose as a workaround; remove it once P2P works across the topology.");
        }
    }
}
