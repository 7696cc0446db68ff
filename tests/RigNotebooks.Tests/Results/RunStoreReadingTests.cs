using System.Text.Json.Nodes;
using RigNotebooks.Errors;
using RigNotebooks.Results;
using RigNotebooks.Rigs;
using RigNotebooks.Tests.TestSupport;

namespace RigNotebooks.Tests.Results;

public class RunStoreReadingTests
{
    [Fact]
    public void A_run_with_findings_reads_back()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        using var rig = RigSelector.Open("sim:blog-3x3090-driver545");
        var description = rig.Describe();
        var findings = RigNotebooks.Doctor.RigDoctor.Standard.Examine(new RigNotebooks.Doctor.DoctorInput(description, RigNotebooks.Doctor.DoctorInput.CurrentEnvironment(), RigNotebooks.Data.ReferenceData.Default));
        using (var run = store.Create("doctor", new JsonObject(), description))
        {
            run.Complete(findings: findings);
        }

        var loaded = Assert.Single(store.List());
        Assert.Equal(findings.Select(f => f.Code), loaded.Record.Findings.Select(f => f.Code));
        Assert.Equal(findings.Select(f => f.Sources.Count), loaded.Record.Findings.Select(f => f.Sources.Count));
    }

    [Fact]
    public void A_truncated_last_row_keeps_the_intact_rows_and_says_what_was_dropped()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        var run = TestRuns.Bandwidth(store);
        var rowsPath = Path.Combine(run.Folder, RunFiles.RowsCsv);
        var text = File.ReadAllText(rowsPath);
        File.WriteAllText(rowsPath, text[..(text.Length - 25)]);

        var loaded = store.Load(run.Id);
        Assert.Equal(run.Rows.Count - 1, loaded.Rows.Count);
        var dropped = Assert.Single(loaded.Dropped);
        Assert.StartsWith($"rows.csv line {run.Rows.Count + 1}: incomplete last line", dropped, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_line_in_the_middle_costs_only_that_line()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        var run = TestRuns.Bandwidth(store);
        var rowsPath = Path.Combine(run.Folder, RunFiles.RowsCsv);
        var lines = File.ReadAllLines(rowsPath);
        lines[2] = "2024-01-01T00:00:00.000Z,bandwidth,\"peer_unidirectional,0,1"; // a quote that never closes
        lines[4] = lines[4].Replace(",GB/s,", ",GB/s,,", StringComparison.Ordinal);
        File.WriteAllText(rowsPath, string.Join('\n', lines) + "\n");

        var loaded = store.Load(run.Id);
        Assert.Equal(run.Rows.Count - 2, loaded.Rows.Count);
        Assert.Equal(["rows.csv line 3: a quoted field is never closed; the line was skipped", "rows.csv line 5: 13 fields, expected 12"], loaded.Dropped);
    }

    [Fact]
    public void Listing_skips_damaged_runs_names_the_problem_and_keeps_the_others()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        var good = TestRuns.Bandwidth(store);
        var bad = TestRuns.Bandwidth(store, scale: 2);
        var badJson = Path.Combine(bad.Folder, RunFiles.RunJson);
        File.WriteAllText(badJson, File.ReadAllText(badJson).Replace("\"gpus\": [", "\"gpus\": 7, \"x\": [", StringComparison.Ordinal));
        var empty = Directory.CreateDirectory(Path.Combine(temp.Path, "empty-run"));
        File.WriteAllText(Path.Combine(empty.FullName, RunFiles.RunJson), string.Empty);

        var problems = new List<string>();
        var runs = store.List(problems);

        Assert.Equal(good.Id, Assert.Single(runs).Id);
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith(badJson, StringComparison.Ordinal) && p.Contains("at $.rig.gpus: expected a list, found the number 7", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("empty-run", StringComparison.Ordinal) && p.Contains("malformed JSON", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_rows_file_is_reported_not_thrown()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        var run = TestRuns.Bandwidth(store);
        File.Delete(Path.Combine(run.Folder, RunFiles.RowsCsv));
        var loaded = store.Load(run.Id);
        Assert.Empty(loaded.Rows);
        Assert.Contains("rows.csv is missing", Assert.Single(loaded.Dropped), StringComparison.Ordinal);
    }

    [Fact]
    public void Names_that_are_not_run_ids_are_refused_before_touching_the_disk()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        var ex = Assert.Throws<RigInputException>(() => store.Load("../../etc"));
        Assert.Contains("neither a run folder nor a run id", ex.Message, StringComparison.Ordinal);
        Assert.Throws<RigInputException>(() => store.Load(" "));
    }

    [Fact]
    public void A_run_still_being_written_cannot_be_annotated()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        using var rig = RigSelector.Open("sim:blog-3x3090");
        using var live = store.Create("bandwidth", new JsonObject(), rig.Describe());
        var ex = Assert.Throws<RigInputException>(() => store.AddNote(live.Id, "too early"));
        Assert.Contains("still being written", ex.Message, StringComparison.Ordinal);
        live.Complete();
        Assert.Single(store.AddNote(live.Id, "now").Record.Notes);
    }

    [Fact]
    public void Rows_whose_parameters_could_not_be_read_back_are_refused_when_written()
    {
        var row = ResultRow.Ok("bandwidth", "x", 0, null, "bandwidth", 1, "GB/s", RigNotebooks.Model.DataSource.Simulated, new Dictionary<string, string> { ["sizes"] = "1;2" });
        Assert.Throws<ArgumentException>(() => RowsCsv.Format(row));
    }

    [Theory]
    [InlineData("gpu", "-1", "gpu '-1' is not a GPU index")]
    [InlineData("value", "1,5", "fields, expected 12")]
    [InlineData("value", "fast", "value 'fast' is not a number")]
    [InlineData("status", "1", "status '1' is not one of")]
    [InlineData("params", "p2p=on;p2p=off", "params key 'p2p' is given twice")]
    [InlineData("metric", "", "metric is empty")]
    public void Bad_fields_are_named(string column, string value, string problem)
    {
        var columns = RowsCsv.Header.Split(',');
        var fields = new[] { "2024-01-01T00:00:00.000Z", "bandwidth", "h2d", "0", "", "bandwidth", "12.5", "GB/s", "ok", "measured", "", "" };
        fields[Array.IndexOf(columns, column)] = value;
        var dropped = new List<string>();
        var rows = RowsCsv.Parse(RowsCsv.Header + "\n" + string.Join(',', fields) + "\n", dropped);
        Assert.Empty(rows);
        Assert.StartsWith("line 2: ", Assert.Single(dropped), StringComparison.Ordinal);
        Assert.Contains(problem, dropped[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Columns_are_found_by_name_so_a_newer_kit_can_add_some()
    {
        var text = "extra," + RowsCsv.Header + "\nx,2024-01-01T00:00:00.000Z,bandwidth,h2d,0,,bandwidth,12.5,GB/s,ok,measured,size_bytes=1,\n";
        var dropped = new List<string>();
        var row = Assert.Single(RowsCsv.Parse(text, dropped));
        Assert.Empty(dropped);
        Assert.Equal(12.5, row.Value);
        Assert.Equal("1", row.Parameter("size_bytes"));
    }
}
