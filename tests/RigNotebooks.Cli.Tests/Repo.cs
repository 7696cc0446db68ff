namespace RigNotebooks.Cli.Tests;

/// <summary>The repository the tests run from, for reading data/ files as a user would edit them.</summary>
public static class Repo
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "RigNotebooks.slnx")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException("RigNotebooks.slnx not found above " + AppContext.BaseDirectory);
        }
    }
}
