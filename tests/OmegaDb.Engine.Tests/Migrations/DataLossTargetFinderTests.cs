using OmegaDb.Migrations;

namespace OmegaDb.Tests.Migrations;

/// <summary>
/// The targets of statements that destroy data, read so an undo can count what it would
/// lose: names resolved as PostgreSQL resolves them, and DELETE's clauses as written.
/// </summary>
public class DataLossTargetFinderTests
{
    private static DataLossTarget? Find(string sql) =>
        DataLossTargetFinder.Find(Assert.Single(SqlStatementSplitter.Split(sql).Statements));

    private static string[] Names(IEnumerable<SqlObjectName> names) => names.Select(n => n.ToString()).ToArray();

    [Theory]
    [InlineData("DROP TABLE t1, t2", new[] { "t1", "t2" }, false)]
    [InlineData("drop table if exists Public.Users, \"Mixed\".\"Case\" CASCADE", new[] { "public.users", "Mixed.Case" }, true)]
    [InlineData("DROP TABLE app.public.t RESTRICT", new[] { "public.t" }, false)]
    public void Drop_table_names_each_table(string sql, string[] tables, bool cascade)
    {
        var target = Assert.IsType<DroppedTables>(Find(sql));
        Assert.Equal(tables, Names(target.Tables));
        Assert.Equal(cascade, target.Cascade);
    }

    [Theory]
    [InlineData("ALTER TABLE t DROP COLUMN c", "t", new[] { "c" })]
    [InlineData("ALTER TABLE t DROP COLUMN IF EXISTS c, DROP COLUMN d", "t", new[] { "c", "d" })]
    [InlineData("alter table if exists only s.t drop \"Col\" cascade, drop if exists e", "s.t", new[] { "Col", "e" })]
    [InlineData("ALTER TABLE t * DROP CONSTRAINT k, DROP COLUMN c, ALTER COLUMN d DROP DEFAULT, ALTER COLUMN e DROP NOT NULL", "t", new[] { "c" })]
    [InlineData("ALTER TABLE t ADD COLUMN c int, DROP COLUMN d, ADD CONSTRAINT k CHECK (a IN (1, 2))", "t", new[] { "d" })]
    public void Alter_table_drop_column_names_table_and_columns(string sql, string table, string[] columns)
    {
        var target = Assert.IsType<DroppedColumns>(Find(sql));
        Assert.Equal(table, target.Table.ToString());
        Assert.Equal(columns, target.Columns);
    }

    [Theory]
    [InlineData("ALTER TABLE t ADD COLUMN c int")]
    [InlineData("ALTER TABLE t DROP CONSTRAINT k")]
    [InlineData("ALTER TABLE t ALTER COLUMN c DROP DEFAULT")]
    [InlineData("DROP INDEX i")]
    [InlineData("DROP VIEW v")]
    [InlineData("SELECT 1")]
    [InlineData("UPDATE t SET a = 1")]
    public void Statements_that_keep_data_have_no_target(string sql) => Assert.Null(Find(sql));

    [Theory]
    [InlineData("TRUNCATE a, b", new[] { "a", "b" }, false)]
    [InlineData("TRUNCATE TABLE ONLY s.a, b * RESTART IDENTITY CASCADE", new[] { "s.a", "b" }, true)]
    [InlineData("truncate \"T\"", new[] { "T" }, false)]
    public void Truncate_names_each_table(string sql, string[] tables, bool cascade)
    {
        var target = Assert.IsType<TruncatedTables>(Find(sql));
        Assert.Equal(tables, Names(target.Tables));
        Assert.Equal(cascade, target.Cascade);
    }

    [Theory]
    [InlineData("DELETE FROM t", "t", false, null, null, null, null)]
    [InlineData("DELETE FROM s.t WHERE created < now() - interval '1 day'", "s.t", false, null, null, null, "created < now() - interval '1 day'")]
    [InlineData("delete from only t as x where x.a in (select a from u where b) returning *", "t", true, "x", null, null, "x.a in (select a from u where b)")]
    [InlineData("DELETE FROM t x USING u JOIN v USING (id) WHERE x.id = u.id", "t", false, "x", null, "u JOIN v USING (id)", "x.id = u.id")]
    [InlineData("WITH old AS (SELECT id FROM t WHERE a) DELETE FROM t USING old WHERE t.id = old.id", "t", false, null, "old AS (SELECT id FROM t WHERE a)", "old", "t.id = old.id")]
    [InlineData("DELETE FROM t WHERE /* keep */ a = 'x;y' -- note\n AND b", "t", false, null, null, null, "a = 'x;y' -- note\n AND b")]
    [InlineData("DELETE FROM t WHERE CURRENT OF c", "t", false, null, null, null, "CURRENT OF c")]
    public void Delete_keeps_its_clauses_as_written(string sql, string table, bool only, string? alias, string? with, string? usingClause, string? where)
    {
        var target = Assert.IsType<DeletedRows>(Find(sql));
        Assert.Equal(table, target.Table.ToString());
        Assert.Equal((only, alias, with, usingClause, where), (target.Only, target.Alias, target.With, target.Using, target.Where));
    }

    [Theory]
    [InlineData(null, "t", "\"t\"")]
    [InlineData("public", "Users", "\"public\".\"Users\"")]
    [InlineData(null, "a\"b", "\"a\"\"b\"")]
    public void Names_quote_themselves_for_queries(string? schema, string name, string sql) =>
        Assert.Equal(sql, new SqlObjectName(schema, name).ToSql());
}
