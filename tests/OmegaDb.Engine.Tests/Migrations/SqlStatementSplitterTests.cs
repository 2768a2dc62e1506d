using OmegaDb.Migrations;

namespace OmegaDb.Tests.Migrations;

/// <summary>
/// Statements end at top-level semicolons only: never inside strings, comments, quoted
/// identifiers, dollar quotes, parentheses or BEGIN ATOMIC bodies.
/// </summary>
public class SqlStatementSplitterTests
{
    /// <summary>Script, and the text of each statement it splits into.</summary>
    public static TheoryData<string, string[]> Scripts => new()
    {
        { "SELECT 1; SELECT 2;", ["SELECT 1", "SELECT 2"] },
        { "SELECT 1; SELECT 2", ["SELECT 1", "SELECT 2"] },
        { ";;SELECT 1;; ;\n;", ["SELECT 1"] },
        { "", [] },
        { "  \n-- only a comment\n/* and another */\n", [] },
        { "SELECT 1; -- trailing comment\n/* tail */", ["SELECT 1"] },
        { "-- lead\n/* lead */ SELECT /* inner */ 1 -- end\n;", ["SELECT /* inner */ 1"] },
        { "SELECT 'a;b'; SELECT 2", ["SELECT 'a;b'", "SELECT 2"] },
        { "SELECT E'it\\'s;'; SELECT 2", ["SELECT E'it\\'s;'", "SELECT 2"] },
        { "SELECT 'x\\'; SELECT 2", ["SELECT 'x\\'", "SELECT 2"] },
        { "SELECT $a$ ; $b$ ; $a$; SELECT 2", ["SELECT $a$ ; $b$ ; $a$", "SELECT 2"] },
        { "SELECT $x$ $$ ; $$ $x$; SELECT 2", ["SELECT $x$ $$ ; $$ $x$", "SELECT 2"] },
        { "SELECT 1 AS \"semi;colon\"; SELECT 2", ["SELECT 1 AS \"semi;colon\"", "SELECT 2"] },
        { "SELECT 1 /* ; /* ; */ ; */ + 1; SELECT 2", ["SELECT 1 /* ; /* ; */ ; */ + 1", "SELECT 2"] },
        { "SELECT 1 -- ;\n; SELECT 2", ["SELECT 1", "SELECT 2"] },
        {
            "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM 1; COMMIT; END $$; SELECT 2",
            ["CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM 1; COMMIT; END $$", "SELECT 2"]
        },
        {
            "DO $$BEGIN RAISE NOTICE 'x;'; END$$; SELECT 2",
            ["DO $$BEGIN RAISE NOTICE 'x;'; END$$", "SELECT 2"]
        },
        {
            "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT a; SELECT a + 1; END; SELECT 2",
            ["CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT a; SELECT a + 1; END", "SELECT 2"]
        },
        {
            "create or replace function f(a int) returns text begin atomic select case when a > 0 then 'p;' else case a when 0 then 'z' end end; end; select 2",
            ["create or replace function f(a int) returns text begin atomic select case when a > 0 then 'p;' else case a when 0 then 'z' end end; end", "select 2"]
        },
        {
            "CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); SELECT (CASE WHEN true THEN 1 END); END; SELECT 2",
            ["CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); SELECT (CASE WHEN true THEN 1 END); END", "SELECT 2"]
        },
        {
            "CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1 AS end; SELECT t.end FROM t; END; SELECT 2",
            ["CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1 AS end; SELECT t.end FROM t; END", "SELECT 2"]
        },
        {
            "CREATE FUNCTION f() RETURNS int RETURN 1; SELECT CASE WHEN true THEN 1 END; END",
            ["CREATE FUNCTION f() RETURNS int RETURN 1", "SELECT CASE WHEN true THEN 1 END", "END"]
        },
        {
            "SELECT 1 AS begin; BEGIN; SELECT 2",
            ["SELECT 1 AS begin", "BEGIN", "SELECT 2"]
        },
        {
            "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO log VALUES (1); NOTIFY t); SELECT 2",
            ["CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO log VALUES (1); NOTIFY t)", "SELECT 2"]
        },
        { "CREATE RULE r AS ON DELETE TO t DO INSTEAD NOTHING; SELECT 2", ["CREATE RULE r AS ON DELETE TO t DO INSTEAD NOTHING", "SELECT 2"] },
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Splits_at_top_level_semicolons(string sql, string[] expected)
    {
        var script = SqlStatementSplitter.Split(sql);
        Assert.Equal(expected, script.Statements.Select(s => s.Text));
        Assert.False(script.EndsInsideStatement);
    }

    [Fact]
    public void Statements_know_where_they_start_even_after_multi_line_strings()
    {
        const string sql = "INSERT INTO t VALUES ('one\ntwo\nthree'); UPDATE t SET a = 1;\n\n  /* c\n */  DELETE FROM t;\r\n$$\n$$;\tSELECT 1";
        var statements = SqlStatementSplitter.Split(sql).Statements;
        Assert.Equal(["1:1", "3:10", "6:6", "7:1", "8:5"], statements.Select(s => $"{s.Line}:{s.Column}"));
        Assert.All(statements, s => Assert.Equal(s.Text, sql.Substring(s.Offset, s.Text.Length)));
    }

    [Fact]
    public void Statement_tokens_are_the_significant_ones_without_the_semicolon()
    {
        var statement = Assert.Single(SqlStatementSplitter.Split("/* c */ SELECT -- x\n 1 ;").Statements);
        Assert.Equal(["SELECT", "1"], statement.Tokens.Select(t => t.Text));
    }

    [Theory]
    [InlineData("SELECT (1;", "parenthesis")]
    [InlineData("CREATE RULE r AS ON INSERT TO t DO (NOTIFY t;", "parenthesis")]
    [InlineData("CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1;", "BEGIN ATOMIC")]
    [InlineData("CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END;\nEND", null)]
    [InlineData("SELECT 1)", null)]
    public void Reports_a_script_that_ends_inside_a_statement(string sql, string? construct)
    {
        var script = SqlStatementSplitter.Split(sql);
        Assert.Single(script.Statements);
        if (construct is null)
        {
            Assert.Null(script.UnclosedConstruct);
        }
        else
        {
            Assert.Contains(construct, script.UnclosedConstruct, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(8, 1, 8)]
    [InlineData(14, 1, 14)]
    [InlineData(15, 2, 1)]
    [InlineData(17, 2, 4)]
    [InlineData(21, 2, 8)]
    [InlineData(22, 2, 9)]
    public void Maps_a_server_position_back_to_the_file(int position, int line, int column)
    {
        // The statement starts at line 1, column 1; its second line holds a character that
        // .NET stores as two code units and the server counts as one.
        var statement = SqlStatementSplitter.Split("SELECT 'abc',\n'\U0001F600', zz;").Statements[0];
        Assert.Equal((line, column), statement.LocationOf(position));
    }

    [Fact]
    public void Maps_a_server_position_from_a_statement_that_starts_mid_line()
    {
        var statement = SqlStatementSplitter.Split("SELECT 1;\n  SELECT\n  nope").Statements[1];
        Assert.Equal((2, 3), statement.LocationOf(1));
        Assert.Equal((3, 3), statement.LocationOf(10));
    }
}
