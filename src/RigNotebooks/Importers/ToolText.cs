using System.Globalization;
using System.Text.RegularExpressions;
using RigNotebooks.Errors;

namespace RigNotebooks.Importers;

/// <summary>Line handling shared by the text importers: line numbers kept, ANSI colour codes and MPI rank prefixes
/// (<c>[1,0]&lt;stdout&gt;:</c>) removed, numbers read the invariant way.</summary>
internal static partial class ToolText
{
    public static List<(int Number, string Text)> Lines(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n')
            .Select((line, i) => (i + 1, MpiPrefix().Replace(Ansi().Replace(line, string.Empty), string.Empty)))
            .ToList();

    public static string[] Tokens(string line) => line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    public static bool TryDouble(string token, out double value) =>
        double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    public static bool TryInt(string token, out int value) =>
        int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    public static bool TryLong(string token, out long value) =>
        long.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    /// <summary>A device or rank number from a line the tool printed; one too large for an index is damage, not a GPU.</summary>
    public static int Index(string token, int line, string file, string what = "device") =>
        TryInt(token, out var value) ? value : throw new InputFileException(file, $"line {line}", $"{what} number '{token}' is too large to be one");

    public static bool IsNotAvailable(string token) => token.Equals("N/A", StringComparison.OrdinalIgnoreCase);

    public static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\x1B\[[0-9;]*[A-Za-z]")]
    private static partial Regex Ansi();

    [GeneratedRegex(@"^\[\d+,\d+\]<std(out|err)>:")]
    private static partial Regex MpiPrefix();
}
