using RigNotebooks.Bandwidth;
using RigNotebooks.Bandwidth.Execution;
using RigNotebooks.Bandwidth.Measurement;
using RigNotebooks.Errors;
using RigNotebooks.Model;
using RigNotebooks.Results;

namespace RigNotebooks.Tests.Bandwidth;

public sealed class WorkerProtocolTests
{
    [Fact]
    public void A_row_survives_the_protocol_line_including_a_missing_value()
    {
        var row = ResultRow.NotMeasured(RowStatus.Hung, "bandwidth", "peer_correctness", 0, 1, "mismatched_bytes", "count", DataSource.Simulated, "hung after 3 s",
            new Dictionary<string, string> { ["size_bytes"] = "8" });
        var line = WorkerMessage.Of(row).ToLine();

        Assert.StartsWith("@rig ", line);
        Assert.True(WorkerMessage.TryParse(line, out var back));
        Assert.Equal(WorkerMessage.RowKind, back.Kind);
        Assert.Equal(row with { Parameters = back.Row!.Parameters }, back.Row);
        Assert.Equal("8", back.Row.Parameter("size_bytes"));
        Assert.True(double.IsNaN(back.Row.Value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("NCCL INFO Bootstrap : Using eth0")]
    [InlineData("@rig {not json")]
    [InlineData("@rig {}")]
    public void Lines_that_are_not_protocol_are_ignored(string? line) => Assert.False(WorkerMessage.TryParse(line, out _));

    [Fact]
    public void A_job_survives_json()
    {
        var job = new WorkerJob("sim:blog-3x3090", 7, 0.01, new CaseSettings(new BandwidthSpec { BufferBytes = 1024, Cases = ["peer_latency"] }, new AllReduceSpec { Gpus = [2, 0] }),
            [new WorkItem("allreduce", P2P: false, SizeBytes: 8, InPlace: true, Gpus: [0, 1, 2])]);
        var back = WorkerJob.Parse(job.ToJson());

        Assert.Equal(job.Rig, back.Rig);
        Assert.Equal(1024, back.Settings.Bandwidth.BufferBytes);
        Assert.Equal(["peer_latency"], back.Settings.Bandwidth.Cases);
        Assert.Equal([2, 0], back.Settings.AllReduce.Gpus);
        Assert.Equal([0, 1, 2], back.Items[0].Gpus);
        Assert.Equal(job.Items[0] with { Gpus = back.Items[0].Gpus }, back.Items[0]);
    }

    [Fact]
    public void A_broken_job_is_a_fatal_line_not_a_crash()
    {
        using var stdout = new StringWriter();
        Assert.Equal(2, WorkerHost.RunProcess("{ nope", stdout, CancellationToken.None));
        Assert.True(WorkerMessage.TryParse(stdout.ToString().Trim(), out var message));
        Assert.Equal(WorkerMessage.FatalKind, message.Kind);
    }

    [Fact]
    public void An_unknown_rig_is_a_fatal_line_naming_it()
    {
        using var stdout = new StringWriter();
        var job = new WorkerJob("no-such-rig", 42, 0, CaseSettings.Default, []);
        Assert.Equal(3, WorkerHost.RunProcess(job.ToJson(), stdout, CancellationToken.None));
        Assert.Contains("no-such-rig", stdout.ToString());
    }

    [Fact]
    public void The_dotnet_host_is_found() => Assert.True(File.Exists(WorkerLocator.DotnetHost()));

    [Theory]
    [InlineData("8", 8)]
    [InlineData("64K", 64 * 1024)]
    [InlineData("256M", 256L * 1024 * 1024)]
    [InlineData("1G", 1L << 30)]
    [InlineData("512MiB", 512L << 20)]
    public void Sizes_read_like_nccl_tests(string text, long bytes) => Assert.Equal(bytes, ByteSize.Parse(text, "--size"));

    [Theory]
    [InlineData("")]
    [InlineData("-8")]
    [InlineData("lots")]
    [InlineData("9999999999999G")]
    public void Bad_sizes_are_input_errors(string text) => Assert.Throws<RigInputException>(() => ByteSize.Parse(text, "--size"));

    [Fact]
    public void Sample_statistics_report_the_median_and_keep_the_spread()
    {
        var stats = SampleStats.Of([3.0, 1.0, 2.0, double.NaN]);
        Assert.Equal((2.0, 1.0, 3.0, 3), (stats.Median, stats.Min, stats.Max, stats.Count));
        Assert.Equal(2.5, SampleStats.Of([1.0, 2.0, 3.0, 4.0]).Median);
        Assert.True(double.IsNaN(SampleStats.Of([]).Median));
    }
}
