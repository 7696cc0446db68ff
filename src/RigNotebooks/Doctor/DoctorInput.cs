using RigNotebooks.Data;
using RigNotebooks.Model;

namespace RigNotebooks.Doctor;

/// <summary>What the doctor's rules look at: the rig's description, the process environment, the reference data,
/// and facts other parts of the kit contribute (e.g. the libstdc++ level, or a deep check's results).</summary>
public sealed record DoctorInput(
    RigDescription Rig,
    IReadOnlyDictionary<string, string> Environment,
    ReferenceData Data)
{
    public static IReadOnlyDictionary<string, string> CurrentEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = entry.Value as string ?? string.Empty;
        }

        return result;
    }
}
