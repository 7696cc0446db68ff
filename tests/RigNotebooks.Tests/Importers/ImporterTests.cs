using RigNotebooks.Errors;
using RigNotebooks.Importers;
using RigNotebooks.Model;
using RigNotebooks.Results;

namespace RigNotebooks.Tests.Importers;

/// <summary>The importers on real tool outputs (data/captures/tool-outputs, sources in each file's first line),
/// and on damaged copies of them: every damage is a precise input error, never a crash.</summary>
public sealed class ImporterTests
{
    private static string Fixture(string path) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "tool-outputs", path));

    private static ResultRow At(ImportResult import, string @case, int? gpu, int? peer, string metric = "bandwidth", string? p2p = null) =>
        import.Rows.Single(r => r.Case == @case && r.Gpu == gpu && r.Peer == peer && r.Metric == metric && (p2p is null || r.Parameter("p2p") == p2p));

    [Fact]
    public void Nvbandwidth_text_host_copy_with_its_machine()
    {
        var import = ToolImporters.Import("nvbandwidth", Fixture("nvbandwidth/a100-host-to-device-sm-v0.8.txt"), "a100.txt");

        Assert.Equal(("text", "bandwidth"), (import.Format, import.Experiment));
        var row = Assert.Single(import.Rows);
        Assert.Equal(("host_to_device_pinned", 0, 25.13, "GB/s"), (row.Case, row.Gpu!.Value, row.Value, row.Unit));
        Assert.Equal((RowStatus.Ok, DataSource.Imported), (row.Status, row.Source));
        Assert.Equal(("nvbandwidth", "sm", "host_to_device_memcpy_sm"), (row.Parameter("tool"), row.Parameter("copy"), row.Parameter("test")));
        Assert.Equal(["NVIDIA A100-SXM4-40GB"], import.Machine.GpuNames);
        Assert.Equal(("560.35.05", "12060", "v0.8"), (import.Machine.DriverVersion, import.Machine.CudaVersion, import.Machine.ToolVersion));
    }

    [Fact]
    public void Nvbandwidth_text_peer_matrix_named_only_by_its_sum_line()
    {
        var import = ToolImporters.Import("nvbandwidth", Fixture("nvbandwidth/6xa6000-device-to-device-read-v0.8.txt"), "a6000.txt");

        Assert.Equal(30, import.Rows.Count);
        Assert.All(import.Rows, r => Assert.Equal(("peer_unidirectional", "on", "read"), (r.Case, r.Parameter("p2p"), r.Parameter("method"))));
        Assert.Equal(21.95, At(import, "peer_unidirectional", 0, 3).Value);
        Assert.Equal(21.82, At(import, "peer_unidirectional", 3, 0).Value);
        Assert.DoesNotContain(import.Rows, r => r.Gpu == r.Peer);
    }

    [Fact]
    public void Nvbandwidth_v0_10_reads_the_matrix_direction_from_its_title()
    {
        var import = ToolImporters.Import("nvbandwidth", Fixture("nvbandwidth/2gpu-v0.10.txt"), "v010.txt");

        Assert.Equal(26.03, At(import, "host_to_device_pinned", 0, null).Value);
        Assert.Equal(25.94, At(import, "host_to_device_pinned", 1, null).Value);
        Assert.Equal(26.00, At(import, "device_to_host_pinned", 1, null).Value);
        // "memcpy CE GPU(row) <- GPU(column)": the data flows from the column GPU to the row GPU.
        Assert.Equal(276.07, At(import, "peer_unidirectional", 1, 0).Value);
        Assert.Equal(276.19, At(import, "peer_unidirectional", 0, 1).Value);
    }

    [Fact]
    public void Nvbandwidth_json_maps_waived_peer_tests_to_waived_rows_and_lists_what_it_skips()
    {
        var import = ToolImporters.Import("nvbandwidth", Fixture("nvbandwidth/1gpu-v0.5-verbose.json"), "1gpu.json");

        Assert.Equal("json", import.Format);
        Assert.Equal(12.3964, import.Rows.Single(r => r.Parameter("test") == "host_to_device_memcpy_ce").Value);
        Assert.Equal(13.2001, import.Rows.Single(r => r.Parameter("test") == "device_to_host_memcpy_ce").Value);
        Assert.Equal(12.3996, import.Rows.Single(r => r.Parameter("test") == "host_to_device_memcpy_sm").Value);
        var waived = import.Rows.Where(r => r.Status == RowStatus.Waived).ToList();
        Assert.Equal(9, waived.Count);
        Assert.All(waived, r => Assert.Equal("waived by nvbandwidth", r.Note));
        Assert.Contains(waived, r => r.Case == "peer_latency");
        Assert.Contains(import.Skipped, s => s.StartsWith("all_to_host_memcpy_ce", StringComparison.Ordinal));
        Assert.Contains(import.Skipped, s => s.StartsWith("host_device_latency_sm", StringComparison.Ordinal));
        Assert.Equal(("565.02", "v0.5"), (import.Machine.DriverVersion, import.Machine.ToolVersion));
    }

    [Fact]
    public void P2p_bandwidth_latency_test_staged_figures_count_and_fake_p2p_figures_are_waived()
    {
        var import = ToolImporters.Import("p2pBandwidthLatencyTest", Fixture("p2pBandwidthLatencyTest/2x4090-no-p2p.txt"), "4090.txt");

        Assert.Equal(12, import.Rows.Count);
        Assert.Equal(21.73, At(import, "peer_unidirectional", 0, 1, p2p: "off").Value);
        Assert.Equal(22.61, At(import, "peer_unidirectional", 1, 0, p2p: "off").Value);
        Assert.Equal(29.84, At(import, "peer_bidirectional", 0, 1, p2p: "off").Value);
        Assert.Equal(12.84, At(import, "peer_latency", 0, 1, "latency", "off").Value);
        var fake = At(import, "peer_unidirectional", 0, 1, p2p: "on");
        Assert.Equal(RowStatus.Waived, fake.Status);
        Assert.Contains("no peer access (connectivity 0)", fake.Note);
        Assert.Contains("20.91", fake.Note);
        Assert.Equal(["NVIDIA GeForce RTX 4090", "NVIDIA GeForce RTX 4090"], import.Machine.GpuNames);
    }

    [Fact]
    public void Nccl_tests_text_all_reduce_rows_with_the_rank_count_checked_against_busbw()
    {
        var import = ToolImporters.Import("nccl-tests", Fixture("nccl-tests/16xh100-all-reduce.txt"), "16xh100.txt");

        Assert.Equal("allreduce", import.Experiment);
        Assert.Equal(31 * 2 * 4, import.Rows.Count);
        Assert.All(import.Rows, r => Assert.Equal("16", r.Parameter("gpus")));
        var big = import.Rows.Where(r => r.Parameter("size_bytes") == "8589934592").ToList();
        Assert.Equal(338.82, big.Single(r => r.Metric == "busbw" && r.Parameter("inplace") == "false").Value);
        Assert.Equal(47743, big.Single(r => r.Metric == "time" && r.Parameter("inplace") == "true").Value);
        Assert.All(import.Rows.Where(r => r.Metric == "wrong"), r => Assert.Equal(0, r.Value));
        Assert.Equal("ztan-mig-235z", import.Machine.Host);
    }

    [Fact]
    public void Nccl_tests_json_report_gives_the_same_rows_as_the_text()
    {
        var text = ToolImporters.Import("nccl-tests", Fixture("nccl-tests/16xh100-all-reduce.txt"), "t");
        var json = ToolImporters.Import("nccl", Fixture("nccl-tests/16xh100-all-reduce.J.json"), "j");

        Assert.Equal("json", json.Format);
        static IEnumerable<string> Key(ImportResult i) => i.Rows.Select(r => $"{r.Parameter("size_bytes")}/{r.Parameter("inplace")}/{r.Metric}={r.Value}/{r.Parameter("gpus")}");
        Assert.Equal(Key(text), Key(json));
    }

    public static TheoryData<string, string, string> Damaged => new()
    {
        // tool, text, expected fragment of the error
        { "nvbandwidth", "", "no nvbandwidth results" },
        { "nvbandwidth", "hello\nworld\n", "no nvbandwidth results" },
        { "nvbandwidth", "Running host_to_device_memcpy_ce.\nmemcpy CE CPU(row) -> GPU(column) bandwidth (GB/s)\n          0         1\n0     26.03\n", "line 4: matrix row 0 has 1 values; the header above has 2 columns" },
        { "nvbandwidth", "Running host_to_device_memcpy_ce.\nmemcpy CE CPU(row) -> GPU(column) bandwidth (GB/s)\nnot a header\n", "line 3: expected the column header" },
        { "nvbandwidth", "Running host_to_device_memcpy_ce.\nmemcpy CE CPU(row) -> GPU(column) bandwidth (GB/s)\n          0\n0     fast\n", "'fast' is neither a number nor N/A" },
        { "nvbandwidth", "memcpy CE CPU(row) -> GPU(column) bandwidth (GB/s)\n          0\n0     1.0\n", "without a test name" },
        { "nvbandwidth", "{\n \"nvbandwidth\": { \"testcases\": [ { \"name\": \"x\"", "not closed: the file is cut off" },
        { "nvbandwidth", "{ \"other\": 1 }", "not nvbandwidth -j output" },
        { "nvbandwidth", "{ \"nvbandwidth\": { \"testcases\": [ { \"name\": \"host_to_device_memcpy_ce\", \"status\": \"Passed\", \"bandwidth_matrix\": [[true]] } ] } }", "$.nvbandwidth.testcases[0].bandwidth_matrix[0][0]" },
        { "nvbandwidth", "{ \"nvbandwidth\": { \"testcases\": [ { \"status\": \"Passed\" } ] } }", "$.nvbandwidth.testcases[0].name" },
        { "p2pBandwidthLatencyTest", "", "no p2pBandwidthLatencyTest results" },
        { "p2pBandwidthLatencyTest", "Unidirectional P2P=Disabled Bandwidth Matrix (GB/s)\n   D\\D     0      1\n     0 909.49  21.73\n", "has 1 rows for 2 columns" },
        { "p2pBandwidthLatencyTest", "Unidirectional P2P=Disabled Bandwidth Matrix (GB/s)\n   D\\D     0      1\n     0 909.49  x\n     1 1 1\n", "'x' in row 0" },
        { "nccl-tests", "", "no nccl-tests result lines" },
        { "nccl-tests", "# Collective test starting: all_gather_perf\n           8             2     float     none      -1    135.8    0.00    0.00      0    123.5    0.00    0.00      0\n", "all_gather_perf output" },
        { "nccl-tests", "           8             2     float     none      -1    135.8    0.00    0.00      0    123.5    0.00    0.00      0\n", "the reduction op is 'none'" },
        { "nccl-tests", "           8             2     float     sum      -1    fast    0.00    0.00      0    123.5    0.00    0.00      0\n", "are not time, algbw and busbw numbers" },
        { "nccl-tests", "{ \"results\": [ { \"size\": \"eight\" } ] }", "$.results[0].size" },
        { "nccl-tests", "{ \"config\": {} }", "$.results" },
        { "nccl", "{\"results\": [", "not closed" },
        // Found by ImporterProperties: a doubled result line, a count or device number too large for its type, a
        // connectivity cell that is not 0 or 1 were imported as made-up figures or crashed.
        { "nccl-tests", "           8             2     float     sum      -1    135.8    0.00    0.00      0    123.5    0.00    0.00      0\n           8             2     float     sum      -1    135.8    0.00    0.00      0    123.5    0.00    0.00      0\n", "line 2: size 8 (float, sum) is reported again (first at line 1)" },
        { "nccl-tests", "           8             2     float     sum      -1    135.8    0.00    0.00      99999999999999999999    123.5    0.00    0.00      0\n", "#wrong '99999999999999999999' is not a count" },
        { "nccl-tests", "           8             2     float     sum      -1    135.8    0.00    0.00      0.5    123.5    0.00    0.00      0\n", "#wrong '0.5' is not a count" },
        { "nccl-tests", "{ \"results\": [ { \"size\": 8, \"out_of_place\": { \"time\": 1, \"alg_bw\": 0.5, \"bus_bw\": 0.5, \"nwrong\": 1e20 } } ] }", "$.results[0].out_of_place.nwrong" },
        { "nccl-tests", "#  Rank 99999999999 Group  0 Pid   1 on host device 0 [0x19] NVIDIA H100\n", "line 1: rank number '99999999999' is too large to be one" },
        { "p2pBandwidthLatencyTest", "Device: 99999999999999999999, NVIDIA GeForce RTX 4090, pciBusID: 81, pciDeviceID: 0, pciDomainID:0\n", "line 1: device number '99999999999999999999' is too large to be one" },
        { "p2pBandwidthLatencyTest", "P2P Connectivity Matrix\n     D\\D     0     1\n     0       1     7\n     1       0     1\n", "holds 7; it holds only 0 (no peer access) and 1" },
        { "nvbandwidth", "Device 99999999999: NVIDIA A100-SXM4-40GB (00000000:07:00)\n", "device number '99999999999' is too large to be one" },
        { "nvidia-smi", "x", "Unknown tool 'nvidia-smi'" },
    };

    [Theory]
    [MemberData(nameof(Damaged))]
    public void Damaged_output_is_a_precise_input_error(string tool, string text, string expected)
    {
        var error = Assert.ThrowsAny<RigInputException>(() => ToolImporters.Import(tool, text, "damaged.txt"));
        Assert.Contains(expected, error.Message);
        if (error is InputFileException file)
        {
            Assert.Equal("damaged.txt", file.File);
        }
    }

    [Fact]
    public void A_truncated_real_output_still_imports_what_is_complete_or_says_where_it_stops()
    {
        var text = Fixture("p2pBandwidthLatencyTest/2x4090-no-p2p.txt");
        var cut = text[..text.IndexOf("     1  22.36 922.92", StringComparison.Ordinal)];
        var error = Assert.Throws<InputFileException>(() => ToolImporters.Import("p2p", cut, "cut.txt"));
        Assert.Matches(@"line \d+", error.JsonPath);
        Assert.Contains("has 1 rows for 2 columns", error.Message);
    }

    [Fact]
    public void Nccl_output_with_an_incomplete_rank_list_is_refused_rather_than_mislabelled()
    {
        var lines = Fixture("nccl-tests/16xh100-all-reduce.txt").Split('\n').Where(l => !l.Contains("on ztan-mig-gq73", StringComparison.Ordinal));
        var error = Assert.Throws<InputFileException>(() => ToolImporters.Import("nccl-tests", string.Join('\n', lines), "8of16.txt"));
        Assert.Contains("2(n-1)/n = 1.75", error.Message);
    }

    [Fact]
    public void Binary_garbage_is_an_input_error_for_every_tool()
    {
        var garbage = new string(Enumerable.Range(0, 2000).Select(i => (char)((i * 7919) % 250 + 1)).ToArray());
        foreach (var tool in ToolImporters.Tools)
        {
            Assert.ThrowsAny<RigInputException>(() => ToolImporters.Import(tool, garbage, "garbage.bin"));
        }
    }
}
