using System.Globalization;
using RigNotebooks.Errors;

namespace RigNotebooks.Bandwidth;

/// <summary>Byte sizes as nccl-tests and nvbandwidth users write them: <c>8</c>, <c>64K</c>, <c>256M</c>, <c>1G</c>
/// (binary multiples, as nccl-tests reads them).</summary>
public static class ByteSize
{
    public static long Parse(string text, string what)
    {
        var t = text.Trim();
        if (t.Length == 0)
        {
            throw new RigInputException($"{what}: empty size. Use bytes or a K/M/G suffix, e.g. 256M.");
        }

        var unit = t.EndsWith("iB", StringComparison.OrdinalIgnoreCase) ? t[..^2] : t.EndsWith('B') || t.EndsWith('b') ? t[..^1] : t;
        if (unit.Length == 0)
        {
            throw new RigInputException($"{what}: '{text}' is not a size. Use a positive number of bytes or a K/M/G suffix, e.g. 256M.");
        }

        var multiplier = char.ToUpperInvariant(unit[^1]) switch
        {
            'K' => 1L << 10,
            'M' => 1L << 20,
            'G' => 1L << 30,
            _ => 1L,
        };
        var digits = multiplier == 1 ? unit : unit[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0 || value > long.MaxValue / multiplier)
        {
            throw new RigInputException($"{what}: '{text}' is not a size. Use a positive number of bytes or a K/M/G suffix, e.g. 256M.");
        }

        return value * multiplier;
    }

    /// <summary>A short human form: 512 MiB, 8 B, 64 KiB.</summary>
    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30} GiB",
        >= 1L << 20 when bytes % (1L << 20) == 0 => $"{bytes >> 20} MiB",
        >= 1L << 10 when bytes % (1L << 10) == 0 => $"{bytes >> 10} KiB",
        _ => $"{bytes} B",
    };
}
