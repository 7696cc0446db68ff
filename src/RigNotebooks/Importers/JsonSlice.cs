using System.Text.Json;
using RigNotebooks.Data;
using RigNotebooks.Errors;

namespace RigNotebooks.Importers;

/// <summary>Finds the JSON object in a tool's output: tools and launchers print warnings before and after it
/// (nvbandwidth's log-lock warning, mpirun's banner), so the object is cut out by matching braces.</summary>
internal static class JsonSlice
{
    /// <summary>The first top-level JSON object in <paramref name="text"/>, parsed; a syntax error is an input error
    /// that names its line in the file.</summary>
    public static JsonDocument Parse(string text, string file)
    {
        var (json, firstLine) = Extract(text, file);
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new InputFileException(file, $"line {firstLine + (ex.LineNumber ?? 0)}", $"not valid JSON: {JsonErrorText.Problem(ex)}", ex);
        }
    }

    /// <summary>The first top-level JSON object in <paramref name="text"/>, and the 1-based line it starts on.</summary>
    public static (string Json, int FirstLine) Extract(string text, string file)
    {
        var start = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '{' && (i == 0 || text[i - 1] == '\n' || IsLineStartAfterSpaces(text, i)))
            {
                start = i;
                break;
            }
        }

        if (start < 0)
        {
            throw new InputFileException(file, "$", "no JSON object found (expected a line starting with '{')");
        }

        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{' or '[':
                    depth++;
                    break;
                case '}' or ']':
                    depth--;
                    if (depth == 0)
                    {
                        return (text[start..(i + 1)], LineOf(text, start));
                    }

                    break;
            }
        }

        throw new InputFileException(file, $"line {LineOf(text, start)}", "the JSON object starting here is not closed: the file is cut off");
    }

    private static bool IsLineStartAfterSpaces(string text, int index)
    {
        var j = index - 1;
        while (j >= 0 && text[j] is ' ' or '\t')
        {
            j--;
        }

        return j < 0 || text[j] == '\n';
    }

    private static int LineOf(string text, int index) => 1 + text.AsSpan(0, index).Count('\n');
}
