using RigNotebooks.Data;

namespace RigNotebooks.Tests.Profiles;

/// <summary>The reference profile's JSON text, for tests that edit it into bad input.</summary>
internal static class ProfileJson
{
    public static string Reference() => EmbeddedData.ReadText("rigs/blog-3x3090.json");

    public static string ReplaceFirst(string text, string find, string replacement)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"test setup: '{find}' not found in the profile");
        return string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + find.Length));
    }
}
