namespace RigNotebooks.Model;

public enum IommuMode
{
    /// <summary>No IOMMU active (disabled in firmware or by the kernel).</summary>
    Off,

    /// <summary>IOMMU on, device DMA identity-mapped (<c>iommu=pt</c>).</summary>
    Passthrough,

    /// <summary>IOMMU translating every device DMA, peer transfers included.</summary>
    Translating,

    Unknown,
}
