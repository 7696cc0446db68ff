using System.Runtime.InteropServices;

namespace RigNotebooks.Cli.Tests.Commands;

/// <summary>`rig doctor|topo --rig local` where NVML cannot be loaded: exit 3, and the message names the library, where
/// the kit looked, and what to install; where NVML loads but reports a driver/library mismatch (the stand-in, forced):
/// exit 3 naming the mismatch and the fix.</summary>
public sealed class LocalRigProcessTests : IDisposable
{
    private readonly DirectoryInfo results = Directory.CreateTempSubdirectory("rig-cli-local-");

    public void Dispose() => results.Delete(recursive: true);

    [Theory]
    [InlineData("doctor")]
    [InlineData("topo")]
    public void Without_a_loadable_nvml_local_exits_3_naming_the_library_and_the_install(string command)
    {
        var missing = Path.Combine(results.FullName, "no-such-dir", "libnvidia-ml.so.1");
        var run = RigProcess.Run(results.FullName, new Dictionary<string, string?> { ["RIG_NVML_LIBRARY"] = missing }, RigProcess.DefaultTimeout, command, "--rig", "local", "--results", results.FullName);
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("NVML library (libnvidia-ml.so.1) could not be loaded", run.Stderr, StringComparison.Ordinal);
        Assert.Contains($"RIG_NVML_LIBRARY={missing}: no such file", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Install the NVIDIA driver", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Stdout);
    }

    [Theory]
    [InlineData("18", "NVML_ERROR_LIB_RM_VERSION_MISMATCH", "Driver/library version mismatch")]
    [InlineData("25", "NVML_ERROR_ARGUMENT_VERSION_MISMATCH", "Argument version mismatch")]
    public void StandIn_nvml_reporting_a_driver_library_mismatch_exits_3_naming_it_and_the_fix(string code, string codeName, string nativeMessage)
    {
        var nvml = StandInCompiler.Build("nvml_standin.c", results.FullName);
        var env = new Dictionary<string, string?> { ["RIG_NVML_LIBRARY"] = nvml, ["STANDIN_NVML_INIT_RESULT"] = code };
        var run = RigProcess.Run(results.FullName, env, RigProcess.DefaultTimeout, "doctor", "--rig", "local", "--results", results.FullName);
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains($"NVML: nvmlInit_v2 failed: {nativeMessage} ({codeName} = {code}).", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("libraries (NVML, libcuda) and its loaded kernel module are different versions", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("after a driver update, reboot", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("reinstall the driver so its libraries and kernel module match", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Stdout);
    }

    [Fact]
    public void On_this_machine_local_either_runs_or_exits_3_saying_where_it_looked()
    {
        var run = RigProcess.Run(results.FullName, new Dictionary<string, string?> { ["RIG_NVML_LIBRARY"] = null }, RigProcess.DefaultTimeout, "topo", "--rig", "local", "--json");
        if (NativeLibrary.TryLoad("libnvidia-ml.so.1", out var handle))
        {
            NativeLibrary.Free(handle);
            Assert.True(run.ExitCode is 0 or 3, run.ToString()); // a driver is here: it runs (or its GPUs are unusable)
            return;
        }

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("libnvidia-ml.so.1 on the system library path (ld.so.cache, LD_LIBRARY_PATH): not found", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("sudo ubuntu-drivers install", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Stdout);
    }
}
