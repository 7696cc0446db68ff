using RigNotebooks.Interop;

namespace RigNotebooks.Tests.Interop;

public sealed class NativeLibraryLocatorTests
{
    [Fact]
    public void An_override_variable_is_the_only_candidate()
    {
        var locator = new NativeLibraryLocator(new Dictionary<string, string?> { ["RIG_CUDA_LIBRARY"] = "/opt/x/libcuda.so.1" });
        var candidates = locator.Candidates(GpuLibraryInfo.Cuda);
        var only = Assert.Single(candidates);
        Assert.Equal(LibraryCandidateKind.Override, only.Kind);
        Assert.Equal("RIG_CUDA_LIBRARY=/opt/x/libcuda.so.1", only.Description);
    }

    [Fact]
    public void Driver_libraries_are_looked_up_by_soname_only()
    {
        var candidates = new NativeLibraryLocator(new Dictionary<string, string?>()).Candidates(GpuLibraryInfo.Nvml);
        Assert.Equal(["libnvidia-ml.so.1", "libnvidia-ml.so"], candidates.Select(c => c.Value));
        Assert.All(candidates, c => Assert.Equal(LibraryCandidateKind.Soname, c.Kind));
    }

    [Fact]
    public void Nccl_is_also_looked_for_in_pip_and_conda_locations_under_the_root()
    {
        var root = Directory.CreateTempSubdirectory("rig-locator-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "opt/torch/.venv/lib/python3.12/site-packages/nvidia/nccl/lib"));
            Directory.CreateDirectory(Path.Combine(root.FullName, "home/me/venv/lib/python3.11"));
            var env = new Dictionary<string, string?> { ["VIRTUAL_ENV"] = "/home/me/venv", ["HOME"] = "/home/me", ["CONDA_PREFIX"] = "/srv/conda" };
            var locator = new NativeLibraryLocator(env, root.FullName);
            var files = locator.Candidates(GpuLibraryInfo.Nccl).Where(c => c.Kind == LibraryCandidateKind.File).Select(c => c.Value).ToList();

            Assert.Equal("/home/me/venv/lib/python3.11/site-packages/nvidia/nccl/lib/libnccl.so.2", files[0]); // the active venv first
            Assert.Contains("/opt/torch/.venv/lib/python3.12/site-packages/nvidia/nccl/lib/libnccl.so.2", files);
            Assert.Contains("/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cu13/lib/libnccl.so.2", files);
            Assert.Contains("/srv/conda/lib/libnccl.so.2", files);
            Assert.Contains("/home/me/miniconda3/lib/libnccl.so.2", files);
            Assert.Equal(files.Count, files.Distinct().Count());
            Assert.Equal(Path.Combine(root.FullName, "srv/conda/lib/libnccl.so.2"), locator.UnderRoot("/srv/conda/lib/libnccl.so.2"));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void Install_hints_name_the_override_variable_and_a_package()
    {
        Assert.Contains("RIG_NVML_LIBRARY", GpuLibraryInfo.Nvml.InstallHint, StringComparison.Ordinal);
        Assert.Contains("nvidia-driver", GpuLibraryInfo.Cuda.InstallHint, StringComparison.Ordinal);
        Assert.Contains("pip install nvidia-nccl-cu12", GpuLibraryInfo.Nccl.InstallHint, StringComparison.Ordinal);
    }
}
