namespace RigNotebooks.TestShared;

/// <summary>Compiles a stand-in native library from C with the machine's C compiler (cc, gcc or clang), for the
/// test projects that load stand-ins instead of NVIDIA's libraries. Linked into each test project.</summary>
internal static class StandInCompiler
{
    private static readonly Lazy<string> Compiler = new(FindCompiler);

    /// <summary>Builds StandIn/<paramref name="source"/> (copied beside the test binaries) into
    /// <paramref name="folder"/> as lib&lt;name&gt;.so with dashes for underscores (nccl_ranks_standin.c →
    /// libnccl-ranks-standin.so; -shared -fPIC -O0 -pthread) and returns the library's path.</summary>
    public static string Build(string source, string folder)
    {
        var library = Path.Combine(folder, $"lib{Path.GetFileNameWithoutExtension(source).Replace('_', '-')}.so");
        var sourcePath = Path.Combine(AppContext.BaseDirectory, "StandIn", source);
        var compile = ChildProcess.Run(Compiler.Value, ["-shared", "-fPIC", "-O0", "-pthread", "-o", library, sourcePath], TimeSpan.FromSeconds(60));
        if (compile.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Compiler.Value} failed on {sourcePath} (exit {compile.ExitCode}): {compile.Stderr}{compile.Stdout}");
        }

        return library;
    }

    /// <summary>A fresh folder for this process's compiled stand-ins, deleted when the process exits.</summary>
    public static string TempFolder(string prefix)
    {
        var folder = new TempFolder(prefix);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => folder.Dispose();
        return folder.Path;
    }

    private static string FindCompiler()
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
}
