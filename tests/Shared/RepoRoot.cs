namespace RigNotebooks.TestShared;

/// <summary>The repository the tests were built in: the folder of RigNotebooks.slnx above the test binaries, for
/// reading data/, benchmarks/ and tests/fixtures in place. Linked into each test project.</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "RigNotebooks.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("RigNotebooks.slnx not found above " + AppContext.BaseDirectory);
    }
}
