using OmegaDb.Migrations;

namespace OmegaDb.Tests.Migrations;

/// <summary>Statement kinds named by their leading keywords, modifiers left out, as PostgreSQL's command tags do.</summary>
public class StatementKindTests
{
    [Theory]
    [InlineData("create unique index concurrently i on t (a)", "CREATE INDEX")]
    [InlineData("CREATE OR REPLACE FUNCTION f() RETURNS int RETURN 1", "CREATE FUNCTION")]
    [InlineData("CREATE TEMP TABLE t (a int)", "CREATE TABLE")]
    [InlineData("CREATE GLOBAL TEMPORARY TABLE t (a int)", "CREATE TABLE")]
    [InlineData("CREATE UNLOGGED TABLE t (a int)", "CREATE TABLE")]
    [InlineData("CREATE OR REPLACE RECURSIVE VIEW v (n) AS SELECT 1", "CREATE VIEW")]
    [InlineData("CREATE MATERIALIZED VIEW mv AS SELECT 1", "CREATE MATERIALIZED VIEW")]
    [InlineData("CREATE CONSTRAINT TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()", "CREATE TRIGGER")]
    [InlineData("CREATE EVENT TRIGGER et ON ddl_command_start EXECUTE FUNCTION f()", "CREATE EVENT TRIGGER")]
    [InlineData("CREATE TEXT SEARCH CONFIGURATION c (COPY = english)", "CREATE TEXT SEARCH CONFIGURATION")]
    [InlineData("CREATE FOREIGN DATA WRAPPER w", "CREATE FOREIGN DATA WRAPPER")]
    [InlineData("CREATE FOREIGN TABLE ft (a int) SERVER s", "CREATE FOREIGN TABLE")]
    [InlineData("ALTER TABLE IF EXISTS t ADD COLUMN a int", "ALTER TABLE")]
    [InlineData("ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO r", "ALTER DEFAULT PRIVILEGES")]
    [InlineData("ALTER SYSTEM SET work_mem = '1MB'", "ALTER SYSTEM")]
    [InlineData("DROP TABLE IF EXISTS a, b", "DROP TABLE")]
    [InlineData("drop index concurrently i", "DROP INDEX")]
    [InlineData("DROP OWNED BY r", "DROP OWNED")]
    [InlineData("WITH old AS (SELECT id FROM t) DELETE FROM t USING old WHERE t.id = old.id", "DELETE")]
    [InlineData("WITH RECURSIVE r AS (SELECT 1 UNION ALL SELECT n FROM r) SELECT * FROM r", "SELECT")]
    [InlineData("WITH x AS (DELETE FROM a RETURNING *) INSERT INTO b SELECT * FROM x", "INSERT")]
    [InlineData("(SELECT 1) UNION (SELECT 2)", "SELECT")]
    [InlineData("truncate table a", "TRUNCATE")]
    [InlineData("START TRANSACTION", "START TRANSACTION")]
    [InlineData("refresh materialized view concurrently mv", "REFRESH MATERIALIZED VIEW")]
    [InlineData("COMMIT PREPARED 'x'", "COMMIT PREPARED")]
    [InlineData("COMMIT", "COMMIT")]
    [InlineData("\"quoted\" nonsense", "\"quoted\"")]
    [InlineData("", "")]
    public void Names_the_kind_of_statement(string sql, string kind)
    {
        var tokens = SqlLexer.Tokenize(sql).Where(t => !t.IsTrivia).ToList();
        Assert.Equal(kind, StatementKind.Describe(tokens));
    }
}
