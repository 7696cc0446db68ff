namespace RigNotebooks.Tests.Support;

/// <summary>Paths into the repository, for fixtures read in place (they contain sysfs-style symbolic links).</summary>
public static class RepoPaths
{
    public static string Root => RepoRoot.Path;

    public static string Fixtures => Path.Combine(Root, "tests", "fixtures");

    public static string Fixture(string name) => Path.Combine(Fixtures, name);

    public static string Captures => Path.Combine(Root, "data", "captures");
}
