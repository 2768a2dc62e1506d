using OmegaDb.Migrations;
using K = OmegaDb.Migrations.SqlTokenKind;

namespace OmegaDb.Tests.Migrations;

/// <summary>
/// Token boundaries as PostgreSQL's scanner draws them: every token kind, the quoting rules
/// that decide where a string or comment ends, and the line and column of each token.
/// </summary>
public class SqlLexerTests
{
    /// <summary>Input, and its tokens other than whitespace as "Kind Text".</summary>
    public static TheoryData<string, string[]> Tokens => new()
    {
        { "select", ["Word select"] },
        { "SELECT _x1$ Ünïcödé", ["Word SELECT", "Word _x1$", "Word Ünïcödé"] },
        { "a$b$", ["Word a$b$"] },
        { "-- note\nx", ["LineComment -- note", "Word x"] },
        { "x -- to the end", ["Word x", "LineComment -- to the end"] },
        { "-- a\r\nx", ["LineComment -- a", "Word x"] },
        { "-- a\rx", ["LineComment -- a", "Word x"] },
        { "/* a */x", ["BlockComment /* a */", "Word x"] },
        { "/* a /* nested */ still */x", ["BlockComment /* a /* nested */ still */", "Word x"] },
        { "/* -- */x", ["BlockComment /* -- */", "Word x"] },
        { "/*/ x */", ["BlockComment /*/ x */"] },
        { "\"a\"\"b\"", ["QuotedIdentifier \"a\"\"b\""] },
        { "\"semi;colon\"", ["QuotedIdentifier \"semi;colon\""] },
        { "'it''s'", ["String 'it''s'"] },
        { "'a;b'", ["String 'a;b'"] },
        { "'back\\'", ["String 'back\\'"] },
        { "''", ["String ''"] },
        { "'a' 'b'", ["String 'a'", "String 'b'"] },
        { "N'national'", ["String N'national'"] },
        { "E'it\\'s;'", ["EscapeString E'it\\'s;'"] },
        { "e'\\\\'", ["EscapeString e'\\\\'"] },
        { "E'a''b'", ["EscapeString E'a''b'"] },
        { "U&'d\\0061t\\+000061'", ["UnicodeString U&'d\\0061t\\+000061'"] },
        { "u&'\\'", ["UnicodeString u&'\\'"] },
        { "U&\"d\\0061t\"", ["UnicodeQuotedIdentifier U&\"d\\0061t\""] },
        { "B'0101'", ["BitString B'0101'"] },
        { "x'1F'", ["HexString x'1F'"] },
        { "$$body$$", ["DollarString $$body$$"] },
        { "$a$ ; $b$ ; $a$", ["DollarString $a$ ; $b$ ; $a$"] },
        { "$x$ $$ $x$", ["DollarString $x$ $$ $x$"] },
        { "$fn_1$it's$fn_1$", ["DollarString $fn_1$it's$fn_1$"] },
        { "$a$ $ab$a$", ["DollarString $a$ $ab$a$"] },
        { "$$ -- not a comment $$", ["DollarString $$ -- not a comment $$"] },
        { "$1", ["Parameter $1"] },
        { "$12::int", ["Parameter $12", "Punctuation ::", "Word int"] },
        { "$1a$", ["Parameter $1", "Word a$"] },
        { "42 3.5 .5 1e10 1.5E-3 1_000 0x1F 0o17 0b101", ["Number 42", "Number 3.5", "Number .5", "Number 1e10", "Number 1.5E-3", "Number 1_000", "Number 0x1F", "Number 0o17", "Number 0b101"] },
        { "1..10", ["Number 1", "Punctuation ..", "Number 10"] },
        { "1.", ["Number 1."] },
        { "a.b", ["Word a", "Punctuation .", "Word b"] },
        { "x=-1", ["Word x", "Operator =", "Operator -", "Number 1"] },
        { "a<>b", ["Word a", "Operator <>", "Word b"] },
        { "j->>'k'", ["Word j", "Operator ->>", "String 'k'"] },
        { "a @- b", ["Word a", "Operator @-", "Word b"] },
        { "a*--c\n", ["Word a", "Operator *", "LineComment --c"] },
        { "a+/*c*/b", ["Word a", "Operator +", "BlockComment /*c*/", "Word b"] },
        { "f(a, b[1]);", ["Word f", "Punctuation (", "Word a", "Punctuation ,", "Word b", "Punctuation [", "Number 1", "Punctuation ]", "Punctuation )", "Semicolon ;"] },
        { "x := 1", ["Word x", "Punctuation :=", "Number 1"] },
        { "a => 1", ["Word a", "Operator =>", "Number 1"] },
        { "\\set x", ["Other \\", "Word set", "Word x"] },
        { "$ x", ["Other $", "Word x"] },
        { "$abc x", ["Other $", "Word abc", "Word x"] },
    };

    [Theory]
    [MemberData(nameof(Tokens))]
    public void Tokenises_like_the_server(string sql, string[] expected)
    {
        var tokens = SqlLexer.Tokenize(sql);
        Assert.Equal(expected, tokens.Where(t => t.Kind != K.Whitespace).Select(t => $"{t.Kind} {t.Text}"));
        Assert.Equal(sql, string.Concat(tokens.Select(t => t.Text)));
    }

    [Fact]
    public void Whitespace_is_kept_so_the_tokens_rebuild_the_text()
    {
        var tokens = SqlLexer.Tokenize("a \t\r\n\f\vb");
        Assert.Equal(["Word", "Whitespace", "Word"], tokens.Select(t => t.Kind.ToString()));
        Assert.Equal(" \t\r\n\f\v", tokens[1].Text);
    }

    [Fact]
    public void Every_token_knows_its_offset_line_and_column()
    {
        const string sql = "SELECT 'multi\nline' AS x,\n  /* c\n */ $$\n$$ ;\r\n\tend";
        var tokens = SqlLexer.Tokenize(sql).Where(t => !t.IsTrivia || t.Kind == K.BlockComment)
            .Select(t => $"{t.Text.Split('\n')[0]}@{t.Line}:{t.Column}");
        Assert.Equal(["SELECT@1:1", "'multi@1:8", "AS@2:7", "x@2:10", ",@2:11", "/* c@3:3", "$$@4:5", ";@5:4", "end@6:2"], tokens);
        Assert.All(SqlLexer.Tokenize(sql), t => Assert.Equal(t.Text, sql.Substring(t.Offset, t.Text.Length)));
    }

    [Theory]
    [InlineData("a\nb\nc")]
    [InlineData("a\r\nb\r\nc")]
    [InlineData("a\rb\rc")]
    public void Lines_end_at_lf_crlf_or_a_lone_cr(string sql) =>
        Assert.Equal(["a@1:1", "b@2:1", "c@3:1"], SqlLexer.Tokenize(sql).Where(t => !t.IsTrivia).Select(t => $"{t.Text}@{t.Line}:{t.Column}"));

    [Fact]
    public void A_region_is_lexed_with_positions_in_the_whole_text()
    {
        const string sql = "DO $$\nBEGIN\n  PERFORM 1;\nEND $$";
        var body = SqlLexer.Tokenize(sql)[2];
        var inner = SqlLexer.Tokenize(sql, body.Offset + 2, body.End - 2, body.Line, body.Column + 2).Where(t => !t.IsTrivia).ToList();
        Assert.Equal(["BEGIN@2:1", "PERFORM@3:3", "1@3:11", ";@3:12", "END@4:1"], inner.Select(t => $"{t.Text}@{t.Line}:{t.Column}"));
        Assert.Equal("PERFORM", sql.Substring(inner[1].Offset, 7));
    }

    /// <summary>Input, and the line and column where the unterminated construct starts.</summary>
    public static TheoryData<string, int, int, string> Unterminated => new()
    {
        { "SELECT 'abc", 1, 8, "no closing '" },
        { "SELECT 'it''s", 1, 8, "no closing '" },
        { "SELECT\n  E'it\\'s", 2, 3, "no closing '" },
        { "SELECT U&'x", 1, 8, "no closing '" },
        { "SELECT B'01", 1, 8, "no closing '" },
        { "SELECT X'1F", 1, 8, "no closing '" },
        { "SELECT \"col", 1, 8, "no closing \"" },
        { "SELECT \"\"", 1, 8, "cannot be empty" },
        { "SELECT 1 /* open", 1, 10, "no closing */" },
        { "/* outer /* inner */ still open", 1, 1, "nests" },
        { "x\ny\n  $$ body", 3, 3, "no closing $$" },
        { "$fn$ body $fn", 1, 1, "no closing $fn$" },
        { "$a$ body $A$", 1, 1, "no closing $a$" },
    };

    [Theory]
    [MemberData(nameof(Unterminated))]
    public void Unterminated_constructs_are_errors_where_they_start(string sql, int line, int column, string reason)
    {
        var ex = Assert.Throws<SqlSyntaxException>(() => SqlLexer.Tokenize(sql));
        Assert.Equal((line, column), (ex.Line, ex.Column));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("select", "SELECT", true)]
    [InlineData("Commit", "COMMIT", true)]
    [InlineData("\"end\"", "END", false)]
    [InlineData("'end'", "END", false)]
    [InlineData("ending", "END", false)]
    public void Keywords_are_unquoted_words_in_any_case(string sql, string keyword, bool expected) =>
        Assert.Equal(expected, SqlLexer.Tokenize(sql)[0].IsKeyword(keyword));

    [Theory]
    [InlineData("Users", "users")]
    [InlineData("\"Users\"", "Users")]
    [InlineData("\"a\"\"b\"", "a\"b")]
    [InlineData("ÄBC", "Äbc")]
    public void Identifiers_resolve_as_postgres_folds_them(string sql, string expected) =>
        Assert.Equal(expected, SqlLexer.Tokenize(sql)[0].Identifier);

    [Theory]
    [InlineData("$$x$$", "$$", "x")]
    [InlineData("$body$ a $$ b $body$", "$body$", " a $$ b ")]
    public void Dollar_strings_expose_delimiter_and_body(string sql, string delimiter, string body)
    {
        var token = SqlLexer.Tokenize(sql)[0];
        Assert.Equal(delimiter, token.DollarDelimiter);
        Assert.Equal(body, token.DollarBody);
    }
}
