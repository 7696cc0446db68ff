using System.Globalization;
using System.Text;
using RigNotebooks.Errors;

namespace RigNotebooks.ExternalTraining;

/// <summary>
/// A user's training command as an argument list with placeholders, e.g. <c>torchrun --nproc_per_node={gpus} train.py</c>.
/// The text is split into arguments once, the way a shell would split words (whitespace; single and double quotes;
/// backslash escapes), but no shell ever runs it: no globbing, no variables, no pipes. Placeholders are filled per
/// case inside each argument: <c>{gpus}</c> (how many GPUs) and <c>{gpu_ids}</c> (their indices, "0,1,2").
/// </summary>
public sealed class CommandTemplate
{
    private static readonly string[] Known = ["{gpus}", "{gpu_ids}"];

    public CommandTemplate(IReadOnlyList<string> arguments)
    {
        if (arguments.Count == 0 || string.IsNullOrWhiteSpace(arguments[0]))
        {
            throw new RigInputException("The training command is empty: give the program and its arguments, e.g. \"torchrun --nproc_per_node={gpus} train.py\".");
        }

        Arguments = arguments;
    }

    public IReadOnlyList<string> Arguments { get; }

    public static CommandTemplate Parse(string text) => new(Split(text));

    /// <summary>The program and arguments for a case with <paramref name="gpuIds"/>.</summary>
    public IReadOnlyList<string> Expand(IReadOnlyList<int> gpuIds)
    {
        var count = gpuIds.Count.ToString(CultureInfo.InvariantCulture);
        var ids = string.Join(",", gpuIds.Select(g => g.ToString(CultureInfo.InvariantCulture)));
        return Arguments.Select(a => a.Replace("{gpus}", count, StringComparison.Ordinal).Replace("{gpu_ids}", ids, StringComparison.Ordinal)).ToList();
    }

    /// <summary>Placeholders in braces that this template does not know (a typo such as {gpu}).</summary>
    public IReadOnlyList<string> UnknownPlaceholders() =>
        Arguments.SelectMany(a => System.Text.RegularExpressions.Regex.Matches(a, @"\{[a-z_]+\}").Select(m => m.Value))
            .Where(p => !Known.Contains(p, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();

    public override string ToString() => string.Join(" ", Arguments.Select(a => a.Any(char.IsWhiteSpace) || a.Length == 0 ? $"'{a}'" : a));

    private static List<string> Split(string text)
    {
        var result = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else if (c == '\\' && q == '"' && i + 1 < text.Length && text[i + 1] is '"' or '\\')
                {
                    current.Append(text[++i]);
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    result.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                current.Append(text[++i]);
                inWord = true;
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }

        if (quote is not null)
        {
            throw new RigInputException($"The training command has an unclosed {quote} quote: {text}");
        }

        if (inWord)
        {
            result.Add(current.ToString());
        }

        return result;
    }
}
