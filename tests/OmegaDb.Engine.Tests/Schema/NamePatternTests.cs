using OmegaDb.Schema;

namespace OmegaDb.Tests.Schema;

public sealed class NamePatternTests
{
    [Theory]
    [InlineData("orders", "orders", true)]
    [InlineData("orders", "ORDERS", true)]
    [InlineData("orders", "orders_2024", false)]
    [InlineData("ord*", "orders", true)]
    [InlineData("*", "", true)]
    [InlineData("*_log", "child_log", true)]
    [InlineData("*_log", "child_logs", false)]
    [InlineData("c?de", "code", true)]
    [InlineData("c?de", "cde", false)]
    [InlineData("[bc]ig", "big", true)]
    [InlineData("[bc]ig", "Cig", true)]
    [InlineData("[bc]ig", "dig", false)]
    [InlineData("v[0-9]", "v7", true)]
    [InlineData("v[0-9]", "v-", false)]
    [InlineData("a.b", "a.b", true)]
    [InlineData("a.b", "axb", false)]
    [InlineData("x+(y)", "x+(y)", true)]
    [InlineData("[.]b", "xb", false)]
    [InlineData("[-a]", "-", true)]
    [InlineData("[^a]", "^", true)]
    [InlineData("[^a]", "b", false)]
    [InlineData("a\\b", "a\\b", true)]
    [InlineData("line*", "line\nbreak", true)]
    public void Matches_like_PowerShell_wildcards(string pattern, string name, bool expected) =>
        Assert.Equal(expected, new NamePattern(pattern).IsMatch(name));

    [Theory]
    [InlineData("orders[")]
    [InlineData("[]x")]
    public void Unclosed_or_empty_bracket_is_an_argument_error(string pattern)
    {
        var error = Assert.Throws<OmegaException>(() => new NamePattern(pattern));
        Assert.Equal(NamePattern.InvalidPatternErrorId, error.ErrorId);
        Assert.Contains(pattern, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_and_null_patterns_are_ignored()
    {
        Assert.Equal(["a*"], NamePattern.ParseAll(["", "a*", null!]).Select(p => p.Pattern));
        Assert.Empty(NamePattern.ParseAll(null));
    }
}
