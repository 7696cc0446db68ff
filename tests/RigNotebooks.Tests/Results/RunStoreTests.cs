using System.Diagnostics;
using System.Text.Json.Nodes;
using RigNotebooks.Errors;
using RigNotebooks.Model;
using RigNotebooks.Results;

namespace RigNotebooks.Tests.Results;

public sealed class RunStoreTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"rig-store-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static RigDescription Rig => TestRigs.Sim("blog-3x3090").Describe();

    private static ResultRow Row(int gpu, double value) =>
        ResultRow.Ok("bandwidth", "host_to_device_pinned", gpu, null, "bandwidth", value, "GB/s", DataSource.Simulated,
            new Dictionary<string, string> { ["size_bytes"] = "536870912", ["note"] = "a, \"quoted\" value" });

    [Fact]
    public void A_completed_run_reads_back_with_its_rows_and_summary()
    {
        var store = new RunStore(root);
        string id;
        using (var run = store.Create("bandwidth", new JsonObject { ["sizeBytes"] = 536870912 }, Rig))
        {
            id = run.Id;
            run.Write(Row(0, 12.1));
            run.Write(ResultRow.NotMeasured(RowStatus.Waived, "bandwidth", "peer_unidirectional", 0, 1, "bandwidth", "GB/s", DataSource.Simulated, "no peer access, because\nreasons"));
            run.Complete(new Dictionary<string, string> { ["h2d"] = "12.1" });
        }

        var loaded = store.Load(id);
        Assert.Equal(RunStatus.Completed, loaded.Record.Status);
        Assert.Equal(DataSource.Simulated, loaded.Record.Source);
        Assert.Equal("12.1", loaded.Record.Summary["h2d"]);
        Assert.Equal(2, loaded.Rows.Count);
        Assert.Equal(12.1, loaded.Rows[0].Value);
        Assert.Equal("a, \"quoted\" value", loaded.Rows[0].Parameter("note"));
        Assert.Equal(RowStatus.Waived, loaded.Rows[1].Status);
        Assert.True(double.IsNaN(loaded.Rows[1].Value));
        Assert.Equal("no peer access, because\nreasons", loaded.Rows[1].Note);
        Assert.Empty(loaded.Dropped);
        Assert.Equal(Rig.Gpus[0].Uuid, loaded.Record.Rig.Gpus[0].Uuid);
        Assert.Single(store.List());
        Assert.Equal(loaded.Folder, store.Load(id[..20]).Folder);
    }

    [Fact]
    public void Each_row_is_on_disk_before_the_next_is_written()
    {
        var store = new RunStore(root);
        using var run = store.Create("bandwidth", [], Rig);
        run.Write(Row(0, 1));
        var whileRunning = store.Load(run.Id);
        Assert.Single(whileRunning.Rows);
        Assert.Equal(RunStatus.Running, whileRunning.Record.Status);
        run.Complete();
    }

    [Fact]
    public void A_run_whose_writer_was_killed_reads_back_as_aborted_with_everything_it_measured()
    {
        using var writer = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        var store = new RunStore(root);
        var run = store.Create("bandwidth", [], Rig);
        run.Write(Row(0, 12.0));
        run.Write(Row(1, 12.2));
        // Hand the run to the child as its writer, then kill the child as `kill -9` would.
        RunFiles.WriteRecord(run.Folder, run.Record with { WriterPid = writer.Id, WriterStartedUtc = writer.StartTime.ToUniversalTime() });
        Assert.Equal(RunStatus.Running, store.Load(run.Id).Record.Status);
        writer.Kill();
        writer.WaitForExit();

        var loaded = store.Load(run.Id);
        Assert.Equal(RunStatus.Aborted, loaded.Record.Status);
        Assert.Equal([12.0, 12.2], loaded.Rows.Select(r => r.Value));
    }

    [Fact]
    public void A_truncated_last_row_is_dropped_and_reported_the_rest_loads()
    {
        var store = new RunStore(root);
        string folder;
        using (var run = store.Create("bandwidth", [], Rig))
        {
            folder = run.Folder;
            run.Write(Row(0, 12.0));
            run.Write(Row(1, 12.2));
            run.Complete();
        }

        var rows = Path.Combine(folder, RunFiles.RowsCsv);
        var text = File.ReadAllText(rows);
        File.WriteAllText(rows, text[..^25]);
        var loaded = RunStore.LoadFolder(folder);
        Assert.Single(loaded.Rows);
        Assert.Contains(loaded.Dropped, d => d.Contains("line 3", StringComparison.Ordinal) && d.Contains("incomplete", StringComparison.Ordinal));
    }

    [Fact]
    public void A_run_disposed_without_ending_is_recorded_as_failed()
    {
        var store = new RunStore(root);
        string id;
        using (var run = store.Create("bandwidth", [], Rig))
        {
            id = run.Id;
        }

        Assert.Equal(RunStatus.Failed, store.Load(id).Record.Status);
    }

    [Fact]
    public void An_unwritable_results_folder_fails_before_any_work()
    {
        Directory.CreateDirectory(root);
        var file = Path.Combine(root, "a-file");
        File.WriteAllText(file, "not a folder");
        var ex = Assert.Throws<RigInputException>(() => new RunStore(Path.Combine(file, "results")).EnsureWritable());
        Assert.Contains("--results", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_run_json_is_skipped_by_list_and_named_by_load()
    {
        var store = new RunStore(root);
        using (var run = store.Create("doctor", [], Rig))
        {
            run.Complete();
        }

        var broken = Path.Combine(root, "broken-run");
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, RunFiles.RunJson), "{ \"id\": ");
        var problems = new List<string>();
        Assert.Single(store.List(problems));
        Assert.Contains(problems, p => p.Contains("broken-run", StringComparison.Ordinal));
        Assert.Throws<InputFileException>(() => store.Load("broken-run"));
    }
}
