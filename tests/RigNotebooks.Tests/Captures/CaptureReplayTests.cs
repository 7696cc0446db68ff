using RigNotebooks.Captures;
using RigNotebooks.Data;
using RigNotebooks.Doctor;
using RigNotebooks.Errors;
using RigNotebooks.Model;
using RigNotebooks.Probes;
using RigNotebooks.Rigs;

namespace RigNotebooks.Tests.Captures;

public sealed class CaptureReplayTests
{
    /// <summary>Every committed capture replays as a measured rig whose facts are self-consistent; the doctor runs on it.
    /// Passes trivially until the first capture is committed; capture-specific value tests live beside this one.</summary>
    [Fact]
    public void Every_committed_capture_replays_as_a_consistent_measured_rig()
    {
        foreach (var name in CaptureReplay.Names())
        {
            using var rig = CaptureReplay.Open(name);
            var d = rig.Describe();
            Assert.Equal(DataSource.Measured, rig.Source);
            Assert.NotEmpty(d.Gpus);
            Assert.Equal(d.Gpus.Count * d.Gpus.Count, d.Pairs.Count);
            Assert.False(string.IsNullOrWhiteSpace(d.Platform.DriverVersion));
            foreach (var g in d.Gpus)
            {
                Assert.False(string.IsNullOrWhiteSpace(g.Name));
                Assert.StartsWith("GPU-", g.Uuid, StringComparison.Ordinal);
                var linkKnown = g.Link.MaxGen > 0;
                Assert.True(linkKnown || d.Unknowns.Any(u => u.Field == $"gpus[{g.Index}].link"), $"{name}: GPU {g.Index} has no link and no reason");
                if (linkKnown)
                {
                    Assert.InRange(g.Link.CurrentGen, 1, g.Link.MaxGen);
                    Assert.InRange(g.Link.CurrentWidth, 1, g.Link.MaxWidth);
                }

                if (!double.IsNaN(g.PowerLimits.MaxW))
                {
                    Assert.InRange(g.PowerLimits.DefaultW, g.PowerLimits.MinW, g.PowerLimits.MaxW);
                    Assert.InRange(g.PowerLimits.CurrentW, g.PowerLimits.MinW, g.PowerLimits.MaxW);
                }
            }

            _ = RigDoctor.Standard.Examine(new DoctorInput(d, new Dictionary<string, string>(), ReferenceData.Default));
            Assert.False(rig.Get<IDisposable>().IsAvailable);
        }
    }

    /// <summary>Where a capture carries its machine's sysfs, the probes read it back to the same GPUs and bridge chains
    /// the local rig reported there.</summary>
    [Fact]
    public void Every_committed_capture_sysfs_agrees_with_its_topology()
    {
        foreach (var name in CaptureReplay.Names())
        {
            var root = CaptureReplay.ExtractSysfs(name);
            if (root is null)
            {
                continue;
            }

            try
            {
                using var rig = CaptureReplay.Open(name);
                var host = LinuxHost.Read(root);
                var gpus = rig.Describe().Gpus;
                var topology = PcieTopologyBuilder.Build(host.Pci, gpus.Select(g => g.PciBusId));
                foreach (var g in gpus)
                {
                    Assert.NotNull(host.Pci.Find(g.PciBusId));
                    Assert.Equal(g.UpstreamBridgeIds, topology.ChainByGpu[g.PciBusId]);
                }
            }
            finally
            {
                Directory.Delete(root.Root, recursive: true);
            }
        }
    }

    [Fact]
    public void A_missing_capture_is_an_input_error_that_says_what_was_expected()
    {
        var ex = Assert.Throws<RigInputException>(() => RigSelector.Open("capture:/nonexistent/capture"));
        Assert.Contains("topo.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_capture_names_the_file_and_json_path()
    {
        var dir = Directory.CreateTempSubdirectory("rig-capture-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, CapturedRig.TopoFile), """{"platform": null, "gpus": [], "relations": [], "p2p": []}""");
            var ex = Assert.Throws<InputFileException>(() => CapturedRig.Open(dir.FullName));
            Assert.Equal("$.platform", ex.JsonPath);

            File.WriteAllText(Path.Combine(dir.FullName, CapturedRig.TopoFile), """{"gpus": 3}""");
            Assert.Throws<InputFileException>(() => CapturedRig.Open(dir.FullName));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("X", GpuRelation.Self)]
    [InlineData("NV4", GpuRelation.NvLink)]
    [InlineData("PIX", GpuRelation.SingleSwitch)]
    [InlineData("PXB", GpuRelation.MultipleSwitches)]
    [InlineData("PHB", GpuRelation.HostBridge)]
    [InlineData("NODE", GpuRelation.SameNumaNode)]
    [InlineData("SYS", GpuRelation.AcrossNumaNodes)]
    public void Topo_codes_read_back_to_relations(string code, GpuRelation relation)
    {
        Assert.Equal(relation, TopoReportReader.FromTopoCode(code));
        Assert.StartsWith(relation.ToTopoCode(), code, StringComparison.Ordinal);
    }
}
