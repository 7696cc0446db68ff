namespace RigNotebooks.Model;

/// <summary>A PCIe link as trained now and at its best (the lesser of the card's and the slot's maximum).</summary>
public sealed record PcieLink(int CurrentGen, int CurrentWidth, int MaxGen, int MaxWidth)
{
    public bool IsBelowMax => CurrentGen < MaxGen || CurrentWidth < MaxWidth;

    /// <summary>Theoretical payload rate per direction of the link as trained now, GB/s.</summary>
    public double CurrentRawGBps => Pcie.LaneGBps(CurrentGen) * CurrentWidth;

    /// <summary>Theoretical payload rate per direction at the link's maximum, GB/s.</summary>
    public double MaxRawGBps => Pcie.LaneGBps(MaxGen) * MaxWidth;

    public string Current => $"Gen{CurrentGen} x{CurrentWidth}";

    public string Max => $"Gen{MaxGen} x{MaxWidth}";

    public override string ToString() => IsBelowMax ? $"{Current} (max {Max})" : Current;
}
