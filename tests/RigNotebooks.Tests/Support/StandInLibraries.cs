using System.Diagnostics;
using System.Runtime.InteropServices;
using RigNotebooks.Interop;

namespace RigNotebooks.Tests.Support;

/// <summary>
/// Compiles the stand-in NVML, CUDA driver and NCCL libraries (Interop/StandIn/*.c) with the machine's C compiler once
/// per test process and makes the kit load them instead of the real ones. They return invented values: tests that use
/// them check our marshalling and error mapping, not GPUs. The binding is process-wide, so every test that loads them
/// runs in the <see cref="StandInCollection"/> (one at a time) and no other test in this project loads the real libraries.
/// </summary>
public sealed class StandInLibraries
{
    private static readonly Lazy<StandInLibraries> Compiled = new(Compile);

    private StandInLibraries(string folder)
    {
        Folder = folder;
        NvmlPath = Path.Combine(folder, "libnvml-standin.so");
        CudaPath = Path.Combine(folder, "libcuda-standin.so");
        NcclPath = Path.Combine(folder, "libnccl-standin.so");
    }

    public static StandInLibraries Instance => Compiled.Value;

    public string Folder { get; }

    public string NvmlPath { get; }

    public string CudaPath { get; }

    public string NcclPath { get; }

    /// <summary>A test-control export of a stand-in (standin_*).</summary>
    public nint Control(GpuLibrary library, string name) =>
        NativeLibrary.GetExport(NativeLibraries.Require(library), name);

    public unsafe int IntControl(GpuLibrary library, string name) => ((delegate* unmanaged<int>)Control(library, name))();

    private static StandInLibraries Compile()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"rig-standin-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var libraries = new StandInLibraries(folder);
        var sources = Path.Combine(AppContext.BaseDirectory, "StandIn");
        var compiler = FindCompiler();
        Build(compiler, Path.Combine(sources, "nvml_standin.c"), libraries.NvmlPath);
        Build(compiler, Path.Combine(sources, "cuda_standin.c"), libraries.CudaPath);
        Build(compiler, Path.Combine(sources, "nccl_standin.c"), libraries.NcclPath);
        NativeLibraries.UseForProcess(GpuLibrary.Nvml, libraries.NvmlPath);
        NativeLibraries.UseForProcess(GpuLibrary.Cuda, libraries.CudaPath);
        NativeLibraries.UseForProcess(GpuLibrary.Nccl, libraries.NcclPath);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(folder);
        return libraries;
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

    private static void Build(string compiler, string source, string output)
    {
        var info = new ProcessStartInfo(compiler) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-shared", "-fPIC", "-O0", "-o", output, source })
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

/// <summary>Tests that load the stand-in libraries share process-wide native state, so they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StandInCollection
{
    public const string Name = "stand-in native libraries";
}
