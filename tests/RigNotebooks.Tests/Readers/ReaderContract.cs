using System.Text;
using FsCheck;
using FsCheck.Fluent;
using RigNotebooks.Errors;

namespace RigNotebooks.Tests.Readers;

/// <summary>
/// The contract every reader of user files keeps, as a reusable test harness (profiles, run.json, rows.csv, archives,
/// and the tool-output importers): on any input it either returns, or throws a <see cref="RigInputException"/>
/// whose message names the problem — an <see cref="InputFileException"/> naming the file and the place in it when the
/// problem is inside a file. Any other exception fails the property, with the input that caused it.
/// <see cref="Mutated"/> makes the inputs: a valid document damaged the ways files get damaged.
/// </summary>
public static class ReaderContract
{
    /// <summary>Runs <paramref name="read"/> and checks how it ended. Returns true when it accepted the input.</summary>
    /// <param name="fileLabel">The label the reader was given: a rejection must name this file (or an entry inside it).</param>
    public static bool ReadsOrRejectsPrecisely(Action read, string fileLabel)
    {
        try
        {
            read();
            return true;
        }
        catch (InputFileException ex)
        {
            var context = $"rejection: {ex.Message}\n{ex.InnerException}";
            Assert.True(ex.File.StartsWith(fileLabel, StringComparison.Ordinal), $"a rejection must name the file '{fileLabel}'; {context}");
            Assert.False(string.IsNullOrWhiteSpace(ex.JsonPath), $"a rejection must say where in the file; {context}");
            Assert.False(string.IsNullOrWhiteSpace(ex.Problem), $"a rejection must say what is wrong; {context}");
            Assert.False(ex.Problem.StartsWith("could not be read (", StringComparison.Ordinal), $"InputGuard's last resort was needed: the reader missed a case; {context}");
            Assert.False(ex.Problem.Contains("System.", StringComparison.Ordinal), $".NET type names are not a problem statement; {context}");
            return false;
        }
        catch (RigInputException ex)
        {
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
            return false;
        }
    }

    /// <summary>Characters that break parsers: quotes, separators, brackets, control characters, a lone surrogate, non-ASCII.</summary>
    public static readonly char[] Nasty = ['"', ',', ';', '=', '\n', '\r', '\0', '{', '}', '[', ']', ':', '\\', '\t', '\u00e9', '\u20ac', '\ud800', '-', '.', 'e', '9', ' '];

    private static readonly string[] BadValues =
        ["\"text\"", "12", "-1", "1e999", "NaN", "null", "[]", "{}", "true", "\"\"", "0x10", "1,5", "\"GPU-\"", "99999999999999999999"];

    /// <summary>A generator of damaged copies of <paramref name="valid"/>: one to three of truncation, a changed, inserted
    /// or deleted character, a deleted or doubled span, two lines swapped, two values swapped, a value replaced by one
    /// of another type or a bad number, a field removed — or, rarely, plain random text.</summary>
    public static Gen<string> Mutated(string valid) =>
        Gen.Frequency(
            (1, RandomText()),
            (12, Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(Mutation(), n)).Select(ops => ops.Aggregate(valid, (text, op) => op(text)))));

    public static Gen<string> RandomText() =>
        Gen.ArrayOf(Gen.Frequency((3, Gen.Elements(Nasty)), (2, Gen.Choose(32, 126).Select(i => (char)i)), (1, Gen.Choose(0, 0xFFFF).Select(i => (char)i))))
            .Select(chars => new string(chars));

    private static Gen<Func<string, string>> Mutation() =>
        Gen.Frequency(
            (3, Fraction().Select<double, Func<string, string>>(f => s => s[..At(s, f)])),
            (3, Gen.Zip(Fraction(), Gen.Elements(Nasty)).Select<(double, char), Func<string, string>>(p => s => s.Length == 0 ? s : s.Remove(At(s, p.Item1) % s.Length, 1).Insert(At(s, p.Item1) % s.Length, p.Item2.ToString()))),
            (2, Gen.Zip(Fraction(), Gen.Elements(Nasty)).Select<(double, char), Func<string, string>>(p => s => s.Insert(At(s, p.Item1), p.Item2.ToString()))),
            (2, Gen.Zip(Fraction(), Gen.Choose(1, 40)).Select<(double, int), Func<string, string>>(p => s => { var at = At(s, p.Item1); return s.Remove(at, Math.Min(p.Item2, s.Length - at)); })),
            (1, Gen.Zip(Fraction(), Gen.Choose(1, 60)).Select<(double, int), Func<string, string>>(p => s => { var at = At(s, p.Item1); var span = s.Substring(at, Math.Min(p.Item2, s.Length - at)); return s.Insert(at, span); })),
            (2, Gen.Zip(Fraction(), Fraction()).Select<(double, double), Func<string, string>>(p => s => SwapLines(s, p.Item1, p.Item2))),
            (3, Gen.Zip(Fraction(), Fraction()).Select<(double, double), Func<string, string>>(p => s => SwapValues(s, p.Item1, p.Item2))),
            (4, Gen.Zip(Fraction(), Gen.Elements(BadValues)).Select<(double, string), Func<string, string>>(p => s => ReplaceValue(s, p.Item1, p.Item2))),
            (2, Fraction().Select<double, Func<string, string>>(f => s => RemoveField(s, f))));

    private static Gen<double> Fraction() => Gen.Choose(0, 10_000).Select(i => i / 10_000.0);

    private static int At(string s, double fraction) => (int)Math.Round(fraction * s.Length);

    private static string SwapLines(string s, double a, double b)
    {
        var lines = s.Split('\n');
        if (lines.Length < 2)
        {
            return s;
        }

        var i = (int)(a * (lines.Length - 1));
        var j = (int)(b * (lines.Length - 1));
        (lines[i], lines[j]) = (lines[j], lines[i]);
        return string.Join('\n', lines);
    }

    /// <summary>Value-like tokens: JSON values after a colon, CSV fields between commas.</summary>
    private static List<(int Start, int Length)> Values(string s)
    {
        var spans = new List<(int, int)>();
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] is ':' or ',')
            {
                var start = i + 1;
                while (start < s.Length && s[start] == ' ')
                {
                    start++;
                }

                var end = start;
                if (end < s.Length && s[end] == '"')
                {
                    end++;
                    while (end < s.Length && s[end] != '"')
                    {
                        end++;
                    }

                    end = Math.Min(end + 1, s.Length);
                }
                else
                {
                    while (end < s.Length && s[end] is not (',' or '\n' or '}' or ']' or '\r'))
                    {
                        end++;
                    }
                }

                spans.Add((start, end - start));
            }
        }

        return spans;
    }

    private static string ReplaceValue(string s, double at, string value)
    {
        var values = Values(s);
        if (values.Count == 0)
        {
            return s;
        }

        var (start, length) = values[(int)(at * (values.Count - 1))];
        return new StringBuilder(s).Remove(start, length).Insert(start, value).ToString();
    }

    private static string SwapValues(string s, double a, double b)
    {
        var values = Values(s);
        if (values.Count < 2)
        {
            return s;
        }

        var x = values[(int)(a * (values.Count - 1))];
        var y = values[(int)(b * (values.Count - 1))];
        if (x.Start == y.Start)
        {
            return s;
        }

        var (first, second) = x.Start < y.Start ? (x, y) : (y, x);
        if (first.Start + first.Length > second.Start)
        {
            return s;
        }

        var firstText = s.Substring(first.Start, first.Length);
        var secondText = s.Substring(second.Start, second.Length);
        return s[..first.Start] + secondText + s[(first.Start + first.Length)..second.Start] + firstText + s[(second.Start + second.Length)..];
    }

    /// <summary>Removes one JSON line ("name": value,) — a missing field.</summary>
    private static string RemoveField(string s, double at)
    {
        var lines = s.Split('\n').ToList();
        var fields = lines.Select((l, i) => (l, i)).Where(p => p.l.TrimStart().StartsWith('"') && p.l.Contains("\":", StringComparison.Ordinal)).Select(p => p.i).ToList();
        if (fields.Count == 0)
        {
            return s;
        }

        lines.RemoveAt(fields[(int)(at * (fields.Count - 1))]);
        return string.Join('\n', lines);
    }
}
