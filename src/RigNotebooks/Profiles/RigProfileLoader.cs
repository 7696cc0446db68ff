using RigNotebooks.Data;
using RigNotebooks.Errors;

namespace RigNotebooks.Profiles;

/// <summary>Loads rig profiles — the embedded ones by name, or a user's file by path — and validates them.</summary>
public static class RigProfileLoader
{
    /// <summary>The names of the profiles shipped with the kit (data/rigs/*.json).</summary>
    public static IReadOnlyList<string> EmbeddedNames =>
        EmbeddedData.List("rigs").Select(n => Path.GetFileNameWithoutExtension(n)).ToList();

    public static RigProfile LoadEmbedded(string name, ReferenceData? data = null)
    {
        if (!EmbeddedData.Exists($"rigs/{name}.json"))
        {
            throw new RigInputException(
                $"Unknown rig profile '{name}'. Available profiles: {string.Join(", ", EmbeddedNames)}; " +
                "or give a file as sim:<path.json>.");
        }

        return Parse(EmbeddedData.ReadText($"rigs/{name}.json"), $"data/rigs/{name}.json", data);
    }

    public static RigProfile LoadFile(string path, ReferenceData? data = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RigInputException($"Cannot read rig profile '{path}': {ex.Message}", ex);
        }

        return Parse(text, path, data);
    }

    public static RigProfile Parse(string json, string fileLabel, ReferenceData? data = null)
    {
        var profile = StrictJsonReader.Read<RigProfile>(json, fileLabel);
        RigProfileValidator.Validate(profile, fileLabel, data ?? ReferenceData.Default);
        return profile;
    }
}
