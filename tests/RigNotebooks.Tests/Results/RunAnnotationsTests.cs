using RigNotebooks.Errors;
using RigNotebooks.Results;
using RigNotebooks.Tests.TestSupport;

namespace RigNotebooks.Tests.Results;

public class RunAnnotationsTests
{
    [Fact]
    public void Notes_and_tags_are_kept_in_run_json_and_rows_are_untouched()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        var run = TestRuns.Bandwidth(store);
        var rowsBefore = File.ReadAllBytes(Path.Combine(run.Folder, RunFiles.RowsCsv));

        store.AddNote(run.Id, "  driver 535, iommu=pt  ");
        store.AddTags(run.Id, ["driver-535", "capped", "driver-535"]);
        store.AddTags(run.Id, ["capped", "p2p:on"]);
        var after = store.RemoveTags(run.Id, ["capped"]);

        Assert.Equal("driver 535, iommu=pt", Assert.Single(after.Record.Notes).Text);
        Assert.Equal(["driver-535", "p2p:on"], after.Record.Tags);
        Assert.Contains("\"driver 535, iommu=pt\"", File.ReadAllText(Path.Combine(run.Folder, RunFiles.RunJson)), StringComparison.Ordinal);
        Assert.Equal(rowsBefore, File.ReadAllBytes(Path.Combine(run.Folder, RunFiles.RowsCsv)));
        Assert.Equal(RunStatus.Completed, after.Record.Status);
    }

    [Theory]
    [InlineData("two words")]
    [InlineData("a,b")]
    [InlineData("-leading")]
    [InlineData("")]
    public void Tags_that_cannot_be_typed_back_are_refused(string tag)
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        var run = TestRuns.Bandwidth(store);
        Assert.Throws<RigInputException>(() => store.AddTags(run.Id, [tag]));
        Assert.Empty(store.Load(run.Id).Record.Tags);
    }

    [Fact]
    public void Removing_a_tag_the_run_lacks_says_which_tags_it_has()
    {
        using var temp = new TempFolder();
        var store = new RunStore(temp.Path);
        var run = TestRuns.Bandwidth(store);
        store.AddTags(run.Id, ["a"]);
        var ex = Assert.Throws<RigInputException>(() => store.RemoveTags(run.Id, ["b"]));
        Assert.Contains("has no tag 'b'; its tags: a", ex.Message, StringComparison.Ordinal);
        Assert.Throws<RigInputException>(() => store.AddNote(run.Id, "   "));
    }
}
