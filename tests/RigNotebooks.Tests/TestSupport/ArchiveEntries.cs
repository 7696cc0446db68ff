using System.IO.Compression;
using System.Text;

namespace RigNotebooks.Tests.TestSupport;

/// <summary>Reads every entry of a zip, decompressed, and writes zips from entries (to damage one entry of a valid archive).</summary>
public static class ArchiveEntries
{
    public static List<(string Name, byte[] Bytes)> Read(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return zip.Entries.Select(e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return (e.FullName, copy.ToArray());
        }).ToList();
    }

    public static void Write(string path, IEnumerable<(string Name, byte[] Bytes)> entries)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        foreach (var (name, bytes) in entries)
        {
            using var stream = zip.CreateEntry(name).Open();
            stream.Write(bytes);
        }
    }

    public static string Text(this (string Name, byte[] Bytes) entry) => Encoding.UTF8.GetString(entry.Bytes);
}
