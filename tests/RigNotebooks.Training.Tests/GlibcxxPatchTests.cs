using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using RigNotebooks.Native;
using RigNotebooks.Training.Native;

namespace RigNotebooks.Training.Tests;

/// <summary>The GLIBCXX_3.4.32 step, on the real libLibTorchSharp.so of TorchSharp 0.107 (the package cache's copy,
/// which nothing patches) and on copies damaged on purpose.</summary>
public sealed class GlibcxxPatchTests : IDisposable
{
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("rig-elf-");

    private static string PackageCopy =>
        typeof(GlibcxxPatchTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TorchSharpPackageNative").Value!;

    private static bool SystemLacks3432 => !LibStdCxxProbe.Probe().Provides(ElfSymbolVersions.Glibcxx3432);

    public void Dispose() => temp.Delete(recursive: true);

    [Fact]
    public void The_package_copy_needs_the_version_and_binds_only_the_gcc13_marker_to_it()
    {
        var image = ElfImage.Read(PackageCopy);
        var need = Assert.Single(image.VersionNeeds, n => n.Version == ElfSymbolVersions.Glibcxx3432);
        Assert.Equal(ElfSymbolVersions.LibStdCxx, need.File);
        Assert.False(need.IsWeak);
        Assert.Equal(ElfSymbolVersions.Gcc13IostreamMarker, image.SymbolsBoundTo(need.Index));
        Assert.DoesNotContain(image.SymbolRelocations(), r => r.VersionIndex == need.Index);
        Assert.Contains(image.SymbolRelocations(), r => r.Symbol.StartsWith("_ZNSt", StringComparison.Ordinal)); // the reader does see relocations
    }

    [Fact]
    public void A_fresh_copy_is_patched_in_exactly_one_byte_and_a_second_run_changes_nothing()
    {
        var copy = Copy();
        var first = Patch(copy);
        Assert.Equal(ElfPatchOutcome.Patched, first.Outcome);
        Assert.Equal(ElfSymbolVersions.Gcc13IostreamMarker, first.SymbolsBoundToVersion);

        var before = File.ReadAllBytes(PackageCopy);
        var after = File.ReadAllBytes(copy);
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
        var offset = Assert.Single(changed);
        Assert.Equal(ElfImage.Read(PackageCopy).VersionNeeds.Single(n => n.Version == ElfSymbolVersions.Glibcxx3432).FlagsFileOffset, offset);
        Assert.Equal(before[offset] | ElfVersionNeed.WeakFlag, after[offset]);

        var second = Patch(copy);
        Assert.Equal(ElfPatchOutcome.AlreadyWeak, second.Outcome);
        Assert.Equal(after, File.ReadAllBytes(copy));
    }

    [Fact]
    public void A_dry_run_reports_without_writing()
    {
        var copy = Copy();
        var report = ElfSymbolVersions.MarkVersionWeak(copy, ElfSymbolVersions.LibStdCxx, ElfSymbolVersions.Glibcxx3432, ElfSymbolVersions.Gcc13IostreamMarker, write: false);
        Assert.Equal(ElfPatchOutcome.Patched, report.Outcome);
        Assert.Contains("not written", report.Message);
        Assert.Equal(File.ReadAllBytes(PackageCopy), File.ReadAllBytes(copy));
    }

    [Fact]
    public void It_refuses_when_a_relocation_uses_a_symbol_of_that_version()
    {
        // Swap the version indices of GLIBCXX_3.4.32 and GLIBCXX_3.4.21: the symbols the library really calls
        // (bound to 3.4.21) now count as 3.4.32's, as they would in a library that truly uses the new version.
        var copy = Copy();
        var needs = ElfImage.Read(copy).VersionNeeds;
        var target = needs.Single(n => n.Version == ElfSymbolVersions.Glibcxx3432);
        var used = needs.Single(n => n.Version == "GLIBCXX_3.4.21");
        var bytes = File.ReadAllBytes(copy);
        WriteU16(bytes, target.FlagsFileOffset + 2, used.Index);
        WriteU16(bytes, used.FlagsFileOffset + 2, target.Index);
        File.WriteAllBytes(copy, bytes);

        var report = Patch(copy, allowed: ["_ZSt21ios_base_library_initv", .. ElfImage.Read(copy).SymbolsBoundTo(used.Index)]);
        Assert.Equal(ElfPatchOutcome.Refused, report.Outcome);
        Assert.Contains("dynamic relocation(s) use symbols bound to GLIBCXX_3.4.32", report.Message);
        Assert.Equal(bytes, File.ReadAllBytes(copy));
    }

    [Fact]
    public void It_refuses_symbols_it_was_not_told_to_expect()
    {
        var copy = Copy();
        var report = Patch(copy, allowed: []);
        Assert.Equal(ElfPatchOutcome.Refused, report.Outcome);
        Assert.Contains("_ZSt21ios_base_library_initv", report.Message);
        Assert.Equal(File.ReadAllBytes(PackageCopy), File.ReadAllBytes(copy));
    }

    [Fact]
    public void It_refuses_what_is_not_an_elf_shared_object_or_is_truncated()
    {
        var text = Path.Combine(temp.FullName, "libLibTorchSharp.so");
        File.WriteAllText(text, "not a library");
        Assert.Contains("not an ELF file", Patch(text).Message);

        var truncated = Path.Combine(temp.FullName, "truncated.so");
        File.WriteAllBytes(truncated, File.ReadAllBytes(PackageCopy)[..4096]);
        var report = Patch(truncated);
        Assert.Equal(ElfPatchOutcome.Refused, report.Outcome);
        Assert.Contains("past the end of the file", report.Message);
    }

    [Fact]
    public void A_library_without_the_requirement_is_left_alone()
    {
        var c10 = Path.Combine(Path.GetDirectoryName(PackageCopy)!, "..", "..", "..", "..", "..", "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native", "libc10.so");
        var report = Patch(Path.GetFullPath(c10));
        Assert.Equal(ElfPatchOutcome.NotRequired, report.Outcome);
    }

    [Fact]
    public void The_build_patched_the_copy_in_this_output_and_said_so()
    {
        var marker = Path.Combine(AppContext.BaseDirectory, "rig-torchsharp-native.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(marker));
        Assert.Equal("build", doc.RootElement.GetProperty("by").GetString());
        var file = Assert.Single(doc.RootElement.GetProperty("files").EnumerateArray());
        Assert.True(file.GetProperty("outcome").GetString() is "patched" or "alreadyweak");
        var image = ElfImage.Read(file.GetProperty("path").GetString()!);
        Assert.True(image.VersionNeeds.Single(n => n.Version == ElfSymbolVersions.Glibcxx3432).IsWeak);
    }

    [Fact]
    public void TorchSharp_loads_and_computes_on_this_machine()
    {
        var report = TorchSharpLoader.EnsureLoadable();
        Assert.True(report.Loaded);
        using var x = TorchSharp.torch.ones(3, 3);
        using var y = x.matmul(x);
        Assert.Equal(3.0f, y[0, 0].item<float>());
    }

    [Fact]
    public void On_an_older_libstdcxx_the_unpatched_library_fails_to_load_and_the_patched_one_loads()
    {
        if (!SystemLacks3432 || !OperatingSystem.IsLinux())
        {
            return; // this machine's libstdc++ has GLIBCXX_3.4.32: there is no problem to show
        }

        TorchSharpLoader.EnsureLoadable(); // libtorch, libc10 are now loaded, so only the version check can fail
        var unpatched = Copy("unpatched");
        var error = Assert.ThrowsAny<DllNotFoundException>(() => NativeLibrary.Load(unpatched));
        Assert.Contains("GLIBCXX_3.4.32", error.Message);

        var patched = Copy("patched");
        var report = TorchSharpLoader.Prepare([patched]);
        Assert.Equal(ElfPatchOutcome.Patched, Assert.Single(report.Patches).Outcome);
        var handle = NativeLibrary.Load(patched);
        Assert.NotEqual(IntPtr.Zero, NativeLibrary.GetExport(handle, "THSTorch_manual_seed"));
    }

    [Fact]
    public void A_notebook_patches_the_package_cache_copy_with_the_core_alone_and_a_second_call_changes_nothing()
    {
        // The layout #r "nuget: TorchSharp" restores into: <packages>/torchsharp/<version>/runtimes/<rid>/native/.
        var packages = Path.Combine(temp.FullName, "packages");
        var native = Directory.CreateDirectory(Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native")).FullName;
        File.Copy(PackageCopy, Path.Combine(native, TorchSharpNativeFacts.NativeFileName));
        Assert.Equal([Path.Combine(native, TorchSharpNativeFacts.NativeFileName)], LibTorchSharpPatcher.PackageCacheCopies(packages));

        var first = LibTorchSharpPatcher.PatchPackageCache(packages);
        var second = LibTorchSharpPatcher.PatchPackageCache(packages);

        if (SystemLacks3432)
        {
            Assert.Equal(ElfPatchOutcome.Patched, Assert.Single(first.Patches).Outcome);
            Assert.Equal(ElfPatchOutcome.AlreadyWeak, Assert.Single(second.Patches).Outcome);
            Assert.True(ElfImage.Read(Path.Combine(native, TorchSharpNativeFacts.NativeFileName)).VersionNeeds.Single(n => n.Version == ElfSymbolVersions.Glibcxx3432).IsWeak);
        }
        else
        {
            Assert.Empty(first.Patches); // the system has the version: nothing is touched
        }

        Assert.Empty(LibTorchSharpPatcher.PackageCacheCopies(Path.Combine(temp.FullName, "no-packages-here")));
    }

    [Fact]
    public void The_loader_looks_where_TorchSharp_loads_from()
    {
        var candidates = TorchSharpLoader.CandidateFiles();
        Assert.Contains(candidates, c => c.EndsWith("runtimes/linux-x64/native/libLibTorchSharp.so", StringComparison.Ordinal) && File.Exists(c));
    }

    private string Copy(string name = "copy")
    {
        var dir = Directory.CreateDirectory(Path.Combine(temp.FullName, name)).FullName;
        var path = Path.Combine(dir, "libLibTorchSharp.so");
        File.Copy(PackageCopy, path);
        return path;
    }

    private static ElfPatchReport Patch(string path, IEnumerable<string>? allowed = null) =>
        ElfSymbolVersions.MarkVersionWeak(path, ElfSymbolVersions.LibStdCxx, ElfSymbolVersions.Glibcxx3432, allowed ?? ElfSymbolVersions.Gcc13IostreamMarker);

    private static void WriteU16(byte[] bytes, long offset, ushort value)
    {
        bytes[offset] = (byte)(value & 0xff);
        bytes[offset + 1] = (byte)(value >> 8);
    }
}
