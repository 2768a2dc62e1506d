using System.Collections;
using OmegaDb.Data;

namespace OmegaDb.Tests.Data;

public sealed class ColumnMaskTests
{
    [Theory]
    [InlineData("Email", MaskKind.Email, null)]
    [InlineData("name", MaskKind.Name, null)]
    [InlineData("HASH", MaskKind.Hash, null)]
    [InlineData("Null", MaskKind.Null, null)]
    [InlineData("Fixed:n/a", MaskKind.Fixed, "n/a")]
    [InlineData("Fixed:", MaskKind.Fixed, "")]
    [InlineData("Fixed:a:b", MaskKind.Fixed, "a:b")]
    public void Parses_masker_names(string text, MaskKind kind, string? value)
    {
        Assert.Equal(new ColumnMask(kind, value), ColumnMask.Parse("t.c", text));
    }

    [Fact]
    public void Parses_a_fixed_value_given_as_a_hashtable()
    {
        Assert.Equal(new ColumnMask(MaskKind.Fixed, "42"), ColumnMask.Parse("t.c", new Hashtable { ["fixed"] = 42 }));
    }

    [Theory]
    [InlineData("Scramble")]
    [InlineData("Fixed")]
    [InlineData("Email:x")]
    [InlineData("3")]
    [InlineData("")]
    public void Refuses_unknown_or_malformed_maskers(string text)
    {
        var ex = Assert.Throws<OmegaException>(() => ColumnMask.Parse("users.email", text));
        Assert.Equal(ColumnMask.InvalidMaskErrorId, ex.ErrorId);
        Assert.Contains("users.email", ex.Message);
    }

    [Fact]
    public void Refuses_a_hashtable_other_than_fixed()
    {
        Assert.Throws<OmegaException>(() => ColumnMask.Parse("t.c", new Hashtable { ["Email"] = "x" }));
        Assert.Throws<OmegaException>(() => ColumnMask.Parse("t.c", null));
    }
}
