using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RigNotebooks.Data;
using RigNotebooks.Doctor;
using RigNotebooks.Errors;
using RigNotebooks.Results;
using RigNotebooks.Tests.TestSupport;

namespace RigNotebooks.Tests.Readers;

/// <summary>run.json: damaged copies of a real one are read or rejected with file, JSON path and problem — nothing else.</summary>
public class RunRecordReaderProperties
{
    private const string Label = "results/x/run.json";

    private static readonly Lazy<string> ValidJson = new(() =>
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        var run = TestRuns.Bandwidth(store);
        var record = run.Record with
        {
            Findings = [new Finding("p2p-known-bad-driver", Severity.Error, "title", "evidence", "remedy", ["REFERENCE.md §1"])],
            Notes = [new RunNote(DateTimeOffset.UtcNow, "driver 535")],
            Tags = ["driver-535"],
            Status = RunStatus.Imported,
            Provenance = new RunProvenance(DateTimeOffset.UtcNow, "a.zip", RunStatus.Completed, true, DateTimeOffset.UtcNow, "1.0.0"),
        };
        return JsonSerializer.Serialize(record, KitJson.Indented);
    });

    [Fact]
    public void The_valid_document_reads()
    {
        var record = RunRecordReader.Parse(ValidJson.Value, Label);
        Assert.Equal("driver-535", Assert.Single(record.Tags));
        Assert.Equal(["REFERENCE.md §1"], Assert.Single(record.Findings).Sources);
    }

    [Property(MaxTest = 500)]
    public Property Damaged_run_json_is_read_or_rejected_precisely() =>
        Prop.ForAll(ReaderContract.Mutated(ValidJson.Value).ToArbitrary(), text =>
        {
            if (ReaderContract.ReadsOrRejectsPrecisely(() => RunRecordReader.Parse(text, Label), Label))
            {
                // Whatever was accepted is usable: nothing the commands touch is null.
                var r = RunRecordReader.Parse(text, Label);
                Assert.NotNull(r.Rig.RigId);
                Assert.All(r.Rig.Gpus, g => Assert.NotNull(g.Uuid));
                Assert.All(r.Tags, Assert.NotNull);
                Assert.All(r.Notes, n => Assert.NotNull(n.Text));
                Assert.All(r.Summary.Values, Assert.NotNull);
                Assert.All(r.Findings, f => Assert.All(f.Sources, Assert.NotNull));
                Assert.NotNull(r.Spec);
            }
        });

    [Theory]
    [InlineData("{\"id\": 5}", "$.id", "wrong type: expected a string, found the number 5")]
    [InlineData("[]", "$", "expected an object")]
    [InlineData("", "$", "malformed JSON")]
    [InlineData("{\"id\":", "$", "malformed JSON")]
    public void Wrong_types_and_broken_syntax_name_the_path(string json, string path, string problem)
    {
        var ex = Assert.Throws<InputFileException>(() => RunRecordReader.Parse(json, Label));
        Assert.Equal(Label, ex.File);
        Assert.Equal(path, ex.JsonPath);
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"experiment\": \"bandwidth\",", "", "$.experiment", "missing required field 'experiment'")]
    [InlineData("\"driver-535\"", "null", "$.tags[0]", "must not be null")]
    [InlineData("\"rigId\": \"sim:blog-3x3090\",", "\"rigId\": 3090,", "$.rig.rigId", "wrong type: expected a string")]
    [InlineData("\"status\": \"imported\",", "\"status\": \"exploded\",", "$.status", "")]
    [InlineData("\"text\": \"driver 535\"", "\"txt\": \"driver 535\"", "$.notes[0].text", "missing required field 'text'")]
    public void Field_problems_name_the_field(string from, string to, string path, string problem)
    {
        var json = ValidJson.Value.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(ValidJson.Value, json);
        var ex = Assert.Throws<InputFileException>(() => RunRecordReader.Parse(json, Label));
        Assert.Equal(path, ex.JsonPath);
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_fields_from_a_newer_kit_are_skipped()
    {
        var json = ValidJson.Value.Replace("\"experiment\":", "\"futureField\": {\"a\": [1, 2]},\n  \"experiment\":", StringComparison.Ordinal);
        Assert.Equal("bandwidth", RunRecordReader.Parse(json, Label).Experiment);
    }

    [Theory]
    [InlineData("../../etc")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Ids_that_are_not_one_safe_folder_name_are_rejected(string id)
    {
        var record = RunRecordReader.Parse(ValidJson.Value, Label);
        var json = JsonSerializer.Serialize(record with { Id = id }, KitJson.Indented);
        var ex = Assert.Throws<InputFileException>(() => RunRecordReader.Parse(json, Label));
        Assert.Equal("$.id", ex.JsonPath);
    }
}
