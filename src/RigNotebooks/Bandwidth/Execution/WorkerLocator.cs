using System.Runtime.InteropServices;

namespace RigNotebooks.Bandwidth.Execution;

/// <summary>
/// Finds the <c>rig</c> command to run as the watchdog's child process, from the CLI, from tests and from a notebook:
/// <list type="number">
/// <item><c>RIG_WORKER</c>: a path to rig.dll (started with the dotnet host) or to a rig executable;</item>
/// <item>the current process, when it is the <c>rig</c> executable itself;</item>
/// <item><c>rig.dll</c> next to the running application or next to RigNotebooks.dll (the CLI's output folder, a test
/// project that references the CLI, a notebook that loads the kit from the CLI's folder), started with the same
/// dotnet host that runs this process.</item>
/// </list>
/// </summary>
public static class WorkerLocator
{
    public const string OverrideVariable = "RIG_WORKER";

    public const string WorkerDll = "rig.dll";

    /// <summary>The worker command, or null with the reason none was found.</summary>
    public static WorkerCommand? Locate(out string whyNot)
    {
        whyNot = string.Empty;
        var explicitPath = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            if (!File.Exists(explicitPath))
            {
                whyNot = $"{OverrideVariable}={explicitPath} does not exist";
                return null;
            }

            return ForFile(Path.GetFullPath(explicitPath));
        }

        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "rig" && !self.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            return new WorkerCommand(self, []);
        }

        var folders = new[] { AppContext.BaseDirectory, KitAssemblyFolder() }
            .Where(f => !string.IsNullOrEmpty(f))
            .Distinct()
            .ToList();
        foreach (var folder in folders)
        {
            var dll = Path.Combine(folder!, WorkerDll);
            if (File.Exists(dll) && File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")))
            {
                return ForFile(dll);
            }
        }

        whyNot = $"{WorkerDll} was not found next to the application ({string.Join(", ", folders)}); set {OverrideVariable} to the path of rig.dll";
        return null;
    }

    /// <summary>The dotnet host running this process (or the one on PATH), to start a framework-dependent dll.</summary>
    public static string DotnetHost()
    {
        var name = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } self && Path.GetFileName(self).Equals(name, StringComparison.OrdinalIgnoreCase))
        {
            return self;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        // The shared runtime lives in <dotnet root>/shared/Microsoft.NETCore.App/<version>/.
        var runtime = RuntimeEnvironment.GetRuntimeDirectory();
        if (!string.IsNullOrEmpty(runtime))
        {
            var root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
            var candidate = Path.Combine(root, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return name;
    }

    /// <summary>The folder RigNotebooks.dll was loaded from (a notebook may load it from the CLI's folder); null in a
    /// single-file app, where the assembly has no file of its own — the app itself is then the worker.</summary>
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("SingleFile", "IL3000:Avoid accessing Assembly file path when publishing as a single file",
        Justification = "An empty location (single-file) is handled: the folder is skipped and the running rig executable is used.")]
    private static string? KitAssemblyFolder()
    {
        var location = typeof(WorkerLocator).Assembly.Location;
        return string.IsNullOrEmpty(location) ? null : Path.GetDirectoryName(location);
    }

    private static WorkerCommand ForFile(string path) =>
        path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new WorkerCommand(DotnetHost(), [path])
            : new WorkerCommand(path, []);
}
