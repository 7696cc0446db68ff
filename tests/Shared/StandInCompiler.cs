using System.Diagnostics;

namespace RigNotebooks.TestShared;

/// <summary>Compiles a stand-in native library from C with the machine's C compiler (cc, gcc or clang), for the
/// test projects that load stand-ins instead of NVIDIA's libraries. Linked into each test project that needs it.</summary>
internal static class StandInCompiler
{
    public static string FindCompiler()
    {
        foreach (var name in new[] { "cc", "gcc", "clang" })
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
            {
                var path = Path.Combine(dir, name);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        throw new InvalidOperationException("The stand-in library tests compile C at test time and need a C compiler on PATH (cc, gcc or clang): apt-get install gcc.");
    }

    /// <summary>Builds <paramref name="source"/> into the shared library <paramref name="output"/> (-shared -fPIC -O0 -pthread).</summary>
    public static void Build(string compiler, string source, string output)
    {
        var info = new ProcessStartInfo(compiler) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-shared", "-fPIC", "-O0", "-pthread", "-o", output, source })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {compiler}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException($"{compiler} did not finish compiling {source} in 60 s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{compiler} failed on {source} (exit {process.ExitCode}): {stderr.Result}{stdout.Result}");
        }
    }

    /// <summary>A fresh folder for this process's compiled stand-ins, deleted when the process exits.</summary>
    public static string TempFolder(string prefix)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"{prefix}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(folder);
        return folder;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
