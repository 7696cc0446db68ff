using RigNotebooks.Model;

namespace RigNotebooks.Doctor.Rules;

/// <summary>An IOMMU that translates every peer DMA makes P2P slow or wrong (REFERENCE.md §4).</summary>
public sealed class IommuTranslatingRule : IDoctorRule
{
    private static readonly string[] Sources =
    [
        "REFERENCE.md §4: IOMMU translation makes P2P slower than P2P off, or silently wrong (AMD-Vi IO_PAGE_FAULT)",
        "REFERENCE.md §5: 3x A6000 with IOMMU translating, P2P on 1.6-2.6 GB/s vs off 13-22 GB/s",
    ];

    public IEnumerable<Finding> Check(DoctorInput input)
    {
        var rig = input.Rig;
        var peers = rig.PeerPairs.Any(p => p.P2P.Supported);
        switch (rig.Platform.Iommu)
        {
            case IommuMode.Translating:
                yield return new Finding(
                    "iommu-translating",
                    peers ? Severity.Error : Severity.Warning,
                    "The IOMMU translates every peer transfer",
                    $"IOMMU mode: translating; kernel command line: '{rig.Platform.KernelCommandLine}'. " +
                    (peers ? "P2P is reported between GPUs, so peer copies go through translation: expect them slower than P2P off, or reading back wrong." : "No GPU pair reports P2P."),
                    "Disable the IOMMU in the BIOS, or boot with iommu=pt (on AMD: amd_iommu=on iommu=pt) so device DMA is identity-mapped; then compare P2P on vs off with `rig bandwidth`. " +
                    "On the reference rig this alone did not fix the hang: the driver change (545 -> 535) did.",
                    Sources);
                break;
            case IommuMode.Unknown when rig.Gpus.Count > 1:
                yield return new Finding(
                    "iommu-unknown",
                    Severity.Hint,
                    "The IOMMU state could not be read",
                    "Neither /sys/class/iommu nor the kernel command line told whether the IOMMU translates device DMA.",
                    "Check `ls /sys/class/iommu` and `cat /proc/cmdline`; if the IOMMU is on without iommu=pt, add it.",
                    Sources);
                break;
        }
    }
}
