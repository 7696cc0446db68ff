using System.Text.Json;
using RigNotebooks.Data;

namespace RigNotebooks.Results;

/// <summary>The files of a run folder and how run.json is written (atomically, so a crash never leaves half a file).</summary>
public static class RunFiles
{
    public const string RunJson = "run.json";
    public const string RowsCsv = "rows.csv";

    public static void WriteRecord(string folder, RunRecord record)
    {
        var path = Path.Combine(folder, RunJson);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(record, KitJson.Indented));
        File.Move(temp, path, overwrite: true);
    }
}
