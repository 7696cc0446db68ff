using System.Reflection;
using System.Runtime.InteropServices;

namespace RigNotebooks.Results;

/// <summary>The software a run was made with, recorded in run.json.</summary>
public static class SoftwareVersions
{
    public static IReadOnlyDictionary<string, string> Current() => new Dictionary<string, string>
    {
        ["rigNotebooks"] = KitVersion,
        ["dotnet"] = RuntimeInformation.FrameworkDescription,
        ["os"] = RuntimeInformation.OSDescription,
        ["arch"] = RuntimeInformation.OSArchitecture.ToString(),
    };

    public static string KitVersion =>
        typeof(SoftwareVersions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
