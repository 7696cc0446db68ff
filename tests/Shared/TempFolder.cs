namespace RigNotebooks.TestShared;

/// <summary>A fresh folder under the system temp folder, removed when disposed. Linked into each test project.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "rig-tests-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    /// <summary>A path inside the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
