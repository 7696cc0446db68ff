using System.Globalization;
using System.Text.RegularExpressions;

namespace RigNotebooks.Probes;

/// <summary>Parses sysfs link attributes: <c>current_link_speed</c> is "8.0 GT/s PCIe" on recent kernels,
/// "8 GT/s" or "8.0 GT/s" on older ones, "Unknown" (or "Unknown speed") when the link is down; widths are decimal.</summary>
public static partial class PcieLinkSpeed
{
    /// <summary>The PCIe generation of a transfer rate text, or null when it says nothing usable.</summary>
    public static int? Generation(string? speed)
    {
        if (speed is null)
        {
            return null;
        }

        var m = Rate().Match(speed);
        if (!m.Success)
        {
            return null;
        }

        var gts = double.Parse(m.Groups["rate"].Value, CultureInfo.InvariantCulture);
        return gts switch
        {
            2.5 => 1,
            5.0 => 2,
            8.0 => 3,
            16.0 => 4,
            32.0 => 5,
            64.0 => 6,
            _ => null,
        };
    }

    /// <summary>A link width ("16"), or null; 0 means the link is down and counts as unknown.</summary>
    public static int? Width(string? width) =>
        int.TryParse(width?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var w) && w > 0 ? w : null;

    [GeneratedRegex(@"^\s*(?<rate>\d+(\.\d+)?)\s*GT/s", RegexOptions.CultureInvariant)]
    private static partial Regex Rate();
}
