using System.Globalization;
using System.Text.RegularExpressions;

namespace RigNotebooks.Probes;

/// <summary>A PCI function address. Tools spell it differently — sysfs "0000:0a:00.0", NVML "00000000:0A:00.0",
/// the CUDA driver "0000:0A:00.0" — so everything that matches GPUs across sources goes through <see cref="Normalize"/>.</summary>
public readonly partial record struct PciAddress(uint Domain, byte Bus, byte Device, byte Function)
{
    /// <summary>The sysfs spelling: a 4-digit (or wider, when needed) lower-case domain.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Domain:x4}:{Bus:x2}:{Device:x2}.{Function:x1}");

    public static bool TryParse(string? text, out PciAddress address)
    {
        address = default;
        if (text is null)
        {
            return false;
        }

        var m = Pattern().Match(text.Trim());
        if (!m.Success)
        {
            return false;
        }

        var device = byte.Parse(m.Groups["dev"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var function = byte.Parse(m.Groups["fn"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (device > 31 || function > 7)
        {
            return false;
        }

        address = new PciAddress(
            uint.Parse(m.Groups["dom"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            byte.Parse(m.Groups["bus"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            device,
            function);
        return true;
    }

    public static PciAddress Parse(string text) =>
        TryParse(text, out var a) ? a : throw new FormatException($"'{text}' is not a PCI address (domain:bus:device.function).");

    /// <summary>The sysfs spelling of any common spelling; the input unchanged when it is not a PCI address.</summary>
    public static string Normalize(string text) => TryParse(text, out var a) ? a.ToString() : text;

    /// <summary>Whether a name is a PCI function address (as sysfs names device folders).</summary>
    public static bool IsAddress(string name) => Pattern().IsMatch(name);

    [GeneratedRegex(@"^(?<dom>[0-9a-fA-F]{4,8}):(?<bus>[0-9a-fA-F]{2}):(?<dev>[0-9a-fA-F]{2})\.(?<fn>[0-7])$")]
    private static partial Regex Pattern();
}
