using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RigNotebooks.Data;
using RigNotebooks.Profiles;

namespace RigNotebooks.Tests.Readers;

/// <summary>Rig profiles (already strict): damaged copies of a shipped profile are loaded or rejected precisely.</summary>
public class ProfileReaderProperties
{
    private const string Label = "my-rig.json";

    [Property(MaxTest = 300)]
    public Property Damaged_profiles_are_read_or_rejected_precisely() =>
        Prop.ForAll(ReaderContract.Mutated(EmbeddedData.ReadText("rigs/blog-3x3090.json")).ToArbitrary(), text =>
        {
            ReaderContract.ReadsOrRejectsPrecisely(() => RigProfileLoader.Parse(text, Label), Label);
        });

    [Fact]
    public void A_null_inside_a_list_is_named()
    {
        var text = EmbeddedData.ReadText("rigs/blog-3x3090.json").Replace("\"feeds\": [0, 1]", "\"feeds\": [0, null]", StringComparison.Ordinal);
        var ex = Assert.Throws<RigNotebooks.Errors.InputFileException>(() => RigProfileLoader.Parse(text, Label));
        Assert.Equal("$.psus[0].feeds[1]", ex.JsonPath);
        Assert.Equal("must not be null", ex.Problem);
    }
}
