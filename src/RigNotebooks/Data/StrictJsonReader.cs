using System.Text.Json;
using RigNotebooks.Errors;

namespace RigNotebooks.Data;

/// <summary>Reads a JSON file into a record strictly: syntax, unknown and missing fields, and types are each reported
/// as a <see cref="InputFileException"/> naming the file, the JSON path and the problem.</summary>
public static class StrictJsonReader
{
    public static T Read<T>(string json, string fileLabel)
        where T : class => Read<T>(json, fileLabel, allowUnknownFields: false);

    /// <param name="allowUnknownFields">Skip fields the record does not know (a file written by a newer kit)
    /// instead of rejecting them; types, nulls and required fields are still checked.</param>
    public static T Read<T>(string json, string fileLabel, bool allowUnknownFields)
        where T : class
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (ArgumentException ex)
        {
            throw new InputFileException(fileLabel, "$", $"not readable as JSON text: {FirstSentence(ex.Message)}", ex);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $"line {line + 1}, byte {ex.BytePositionInLine + 1}" : "the start";
            throw new InputFileException(fileLabel, "$", $"malformed JSON at {where}: {FirstSentence(ex.Message)}", ex);
        }

        using (document)
        {
            if (JsonShapeChecker.FindProblem(document.RootElement, typeof(T), allowUnknownFields) is { } shape)
            {
                throw new InputFileException(fileLabel, shape.Path, shape.Problem);
            }

            try
            {
                return document.RootElement.Deserialize<T>(allowUnknownFields ? KitJson.StrictOpen : KitJson.Strict)
                    ?? throw new InputFileException(fileLabel, "$", "the document is null");
            }
            catch (JsonException ex)
            {
                throw new InputFileException(fileLabel, ex.Path ?? "$", Friendly(ex), ex);
            }
            catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or ArgumentException or FormatException or OverflowException)
            {
                throw new InputFileException(fileLabel, "$", FirstSentence(ex.Message), ex);
            }
        }
    }

    private static string Friendly(JsonException ex)
    {
        var message = FirstSentence(ex.Message);
        if (message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            var target = message.Split("converted to ", 2)[1].TrimEnd('.');
            var kind = target switch
            {
                var t when t.Contains("Int32", StringComparison.Ordinal) || t.Contains("Int64", StringComparison.Ordinal) => "a whole number",
                var t when t.Contains("Double", StringComparison.Ordinal) => "a number",
                var t when t.Contains("Boolean", StringComparison.Ordinal) => "true or false",
                var t when t.Contains("String", StringComparison.Ordinal) => "a string",
                var t when t.Contains("Mode", StringComparison.Ordinal) || t.Contains("Kind", StringComparison.Ordinal) => $"one of: {EnumNames(t)}",
                _ => target.Split('.').Last().Split('`')[0],
            };
            return $"wrong type: expected {kind}";
        }

        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            var names = message.Split("including:", 2);
            return names.Length == 2 ? $"missing required field(s):{names[1].TrimEnd('.')}" : "missing a required field";
        }

        return message.Contains("null", StringComparison.OrdinalIgnoreCase) ? "must not be null" : message;
    }

    private static string EnumNames(string typeName)
    {
        var type = typeof(StrictJsonReader).Assembly.GetTypes().FirstOrDefault(t => t.IsEnum && typeName.EndsWith(t.Name, StringComparison.Ordinal));
        return type is null ? typeName : string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName));
    }

    private static string FirstSentence(string message) => JsonErrorText.WithoutPosition(message);
}
