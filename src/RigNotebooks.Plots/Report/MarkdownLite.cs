using System.Text;
using System.Text.RegularExpressions;

namespace RigNotebooks.Plots;

/// <summary>A small, safe Markdown subset for notebook prose: ATX headings, paragraphs, bullet and numbered lists,
/// fenced code, <c>**bold**</c>, <c>*italic*</c>, <c>`code`</c> and <c>[links](url)</c>. Everything is HTML-escaped
/// first, so a markdown cell can never inject script into the offline copy.</summary>
public static partial class MarkdownLite
{
    public static string ToHtml(string markdown)
    {
        var html = new StringBuilder();
        var paragraph = new List<string>();
        string? list = null;
        var inCode = false;
        var code = new StringBuilder();

        void FlushParagraph()
        {
            if (paragraph.Count > 0)
            {
                html.Append("<p>").Append(Inline(string.Join(" ", paragraph))).Append("</p>\n");
                paragraph.Clear();
            }
        }

        void CloseList()
        {
            if (list is not null)
            {
                html.Append("</").Append(list).Append(">\n");
                list = null;
            }
        }

        foreach (var raw in markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                if (inCode)
                {
                    html.Append("<pre><code>").Append(Html.Text(code.ToString())).Append("</code></pre>\n");
                    code.Clear();
                    inCode = false;
                }
                else
                {
                    FlushParagraph();
                    CloseList();
                    inCode = true;
                }

                continue;
            }

            if (inCode)
            {
                code.Append(raw).Append('\n');
                continue;
            }

            if (line.Length == 0)
            {
                FlushParagraph();
                CloseList();
                continue;
            }

            if (Heading().Match(line) is { Success: true } h)
            {
                FlushParagraph();
                CloseList();
                var level = h.Groups[1].Length;
                html.Append("<h").Append(level).Append('>').Append(Inline(h.Groups[2].Value)).Append("</h").Append(level).Append(">\n");
                continue;
            }

            var bullet = Bullet().Match(line);
            var numbered = Numbered().Match(line);
            if (bullet.Success || numbered.Success)
            {
                FlushParagraph();
                var kind = bullet.Success ? "ul" : "ol";
                if (list != kind)
                {
                    CloseList();
                    html.Append('<').Append(kind).Append(">\n");
                    list = kind;
                }

                html.Append("<li>").Append(Inline((bullet.Success ? bullet : numbered).Groups[1].Value)).Append("</li>\n");
                continue;
            }

            if (list is not null && raw.StartsWith("  ", StringComparison.Ordinal))
            {
                continue;
            }

            CloseList();
            paragraph.Add(line.Trim());
        }

        if (inCode)
        {
            html.Append("<pre><code>").Append(Html.Text(code.ToString())).Append("</code></pre>\n");
        }

        FlushParagraph();
        CloseList();
        return html.ToString();
    }

    private static string Inline(string text)
    {
        var escaped = Html.Text(text);
        escaped = CodeSpan().Replace(escaped, "<code>$1</code>");
        escaped = Bold().Replace(escaped, "<strong>$1</strong>");
        escaped = Italic().Replace(escaped, "<em>$1</em>");
        escaped = Link().Replace(escaped, m =>
        {
            var url = m.Groups[2].Value;
            var safe = url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                || url.StartsWith('#') || (!url.Contains(':', StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal));
            return safe ? $"<a href=\"{url}\">{m.Groups[1].Value}</a>" : m.Groups[1].Value;
        });
        return escaped;
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\s*[-*+]\s+(.*)$")]
    private static partial Regex Bullet();

    [GeneratedRegex(@"^\s*\d+[.)]\s+(.*)$")]
    private static partial Regex Numbered();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\*\*([^*]+)\*\*")]
    private static partial Regex Bold();

    [GeneratedRegex(@"(?<![*\w])\*([^*\s][^*]*)\*(?!\*)")]
    private static partial Regex Italic();

    [GeneratedRegex(@"\[([^\]]+)\]\(([^)\s]+)\)")]
    private static partial Regex Link();
}
