namespace RigNotebooks.Model;

/// <summary>PCIe physics: the usable payload rate of one lane, per direction, by generation.</summary>
public static class Pcie
{
    /// <summary>
    /// GB/s (1e9 bytes) per lane per direction after line coding.
    /// Gen1/2: 2.5/5 GT/s with 8b/10b; Gen3/4/5: 8/16/32 GT/s with 128b/130b (Gen3 = 0.985 GB/s/lane,
    /// 15.75 GB/s for x16, REFERENCE.md §2); Gen6: 64 GT/s PAM4 with FLIT 242/256.
    /// </summary>
    public static double LaneGBps(int generation) => generation switch
    {
        1 => 2.5 * 8 / 10 / 8,
        2 => 5.0 * 8 / 10 / 8,
        3 => 8.0 * 128 / 130 / 8,
        4 => 16.0 * 128 / 130 / 8,
        5 => 32.0 * 128 / 130 / 8,
        6 => 64.0 * 242 / 256 / 8,
        _ => throw new ArgumentOutOfRangeException(nameof(generation), generation, "PCIe generation must be 1..6."),
    };

    public static readonly IReadOnlyList<int> ValidWidths = [1, 2, 4, 8, 16, 32];

    public static bool IsValidGeneration(int generation) => generation is >= 1 and <= 6;

    public static bool IsValidWidth(int width) => ValidWidths.Contains(width);
}
