using System.Net;

namespace RigNotebooks.Plots;

/// <summary>Escaping for text that goes into HTML and into inline scripts.</summary>
public static partial class Html
{
    public static string Text(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    public static string Attribute(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    /// <summary>Makes script text safe inside a <c>&lt;script&gt;</c> element, where a literal <c>&lt;/script</c> (or an
    /// HTML comment opener) would end or confuse it. Only those sequences are touched; in JSON and in JS strings
    /// <c>&lt;\/</c> means the same as <c>&lt;/</c>.</summary>
    public static string ScriptSafe(string script) =>
        ClosingScript().Replace(script, "<\\/$1").Replace("<!--", "<\\!--", StringComparison.Ordinal);

    [System.Text.RegularExpressions.GeneratedRegex("</(script)", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex ClosingScript();
}
