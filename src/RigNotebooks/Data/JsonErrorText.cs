using System.Text.Json;

namespace RigNotebooks.Data;

/// <summary>
/// The problem in a <see cref="JsonException"/>'s message without the position System.Text.Json appends
/// (" Path: $.x | LineNumber: 0 | BytePositionInLine: 15."): the kit reports the JSON path and a 1-based line and byte
/// itself, and .NET's 0-based figures beside them read as a contradiction.
/// </summary>
internal static class JsonErrorText
{
    private static readonly string[] PositionMarkers = [" Path:", " LineNumber:"];

    public static string Problem(JsonException ex) => WithoutPosition(ex.Message);

    public static string WithoutPosition(string message)
    {
        var cut = PositionMarkers.Select(m => message.IndexOf(m, StringComparison.Ordinal)).Where(i => i > 0).DefaultIfEmpty(message.Length).Min();
        return message[..cut];
    }
}
