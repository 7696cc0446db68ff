using System.Text.Json;
using RigNotebooks.Errors;

namespace RigNotebooks.Data;

/// <summary>Reads a JSON file into a record strictly: syntax, unknown and missing fields, and types are each reported
/// as a <see cref="InputFileException"/> naming the file, the JSON path and the problem.</summary>
public static class StrictJsonReader
{
    public static T Read<T>(string json, string fileLabel)
        where T : class
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $"line {line + 1}, byte {ex.BytePositionInLine + 1}" : "the start";
            throw new InputFileException(fileLabel, "$", $"malformed JSON at {where}: {FirstSentence(ex.Message)}", ex);
        }

        using (document)
        {
            if (JsonShapeChecker.FindProblem(document.RootElement, typeof(T)) is { } shape)
            {
                throw new InputFileException(fileLabel, shape.Path, shape.Problem);
            }

            try
            {
                return document.RootElement.Deserialize<T>(KitJson.Strict)
                    ?? throw new InputFileException(fileLabel, "$", "the document is null");
            }
            catch (JsonException ex)
            {
                throw new InputFileException(fileLabel, ex.Path ?? "$", Friendly(ex), ex);
            }
            catch (InvalidOperationException ex)
            {
                throw new InputFileException(fileLabel, "$", ex.Message, ex);
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
                _ => target,
            };
            return $"wrong type: expected {kind}";
        }

        return message.Contains("null", StringComparison.OrdinalIgnoreCase) ? "must not be null" : message;
    }

    private static string EnumNames(string typeName)
    {
        var type = typeof(StrictJsonReader).Assembly.GetTypes().FirstOrDefault(t => t.IsEnum && typeName.EndsWith(t.Name, StringComparison.Ordinal));
        return type is null ? typeName : string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName));
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
