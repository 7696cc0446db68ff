using System.Text;

namespace RigNotebooks.Errors;

/// <summary>
/// The one rule every reader of user files follows (profiles, run folders, archives, imported tool outputs):
/// malformed input ends in an <see cref="InputFileException"/> that names the file, the place in it and the
/// problem — never in a raw exception that crashes the command or stops a listing of the user's other runs.
/// A reader reports what it understands itself; <see cref="Read{T}"/> is the safety net around it that turns
/// anything it did not foresee into the same kind of message.
/// </summary>
public static class InputGuard
{
    /// <summary>Runs <paramref name="read"/>; input errors pass through, I/O errors and unforeseen failures become an
    /// <see cref="InputFileException"/> for <paramref name="fileLabel"/>. Cancellation and out-of-memory pass through.</summary>
    public static T Read<T>(string fileLabel, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (RigInputException)
        {
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputFileException(fileLabel, "the file", $"cannot be read: {ex.Message}", ex);
        }
        catch (Exception ex) when (IsReaderFailure(ex))
        {
            throw new InputFileException(fileLabel, "an unknown place", $"could not be read ({ex.GetType().Name}: {ex.Message})", ex);
        }
    }

    /// <summary>A location in a text file, as readers of line-based formats report it.</summary>
    public static string Line(int line, int? column = null) => column is { } c ? $"line {line}, column {c}" : $"line {line}";

    /// <summary>A short, printable excerpt of bad input for a message (control characters shown as \uXXXX).</summary>
    public static string Excerpt(string text, int max = 40)
    {
        var cut = text.Length <= max ? text : text[..max];
        var builder = new StringBuilder(cut.Length);
        foreach (var c in cut)
        {
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                builder.Append($"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return text.Length <= max ? builder.ToString() : builder.Append('…').ToString();
    }

    private static bool IsReaderFailure(Exception ex) =>
        ex is not (OperationCanceledException or OutOfMemoryException or InsufficientExecutionStackException or ThreadInterruptedException);
}
