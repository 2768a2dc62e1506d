using OmegaDb.Migrations;

namespace OmegaDb.Tests.Migrations;

/// <summary>
/// The dry run's static analysis on a corpus of scripts, tricks included: transaction control
/// only where it really is top level, statements a transaction refuses (and their rewrites),
/// side effects a rollback cannot undo, and things a migration cannot do.
/// </summary>
public class DryRunAnalyzerTests
{
    private const string TC = "TransactionControl";
    private const string NT = "NotTransactional";
    private const string NU = "NotUndoable";
    private const string US = "Unsupported";

    private static IReadOnlyList<DryRunFinding> Analyze(string sql) =>
        DryRunAnalyzer.Analyze(SqlStatementSplitter.Split(sql).Statements);

    /// <summary>Script, and its findings as "Kind line:column".</summary>
    public static TheoryData<string, string[]> Corpus => new()
    {
        // Transaction control, and the places where the words are not transaction control.
        { "COMMIT;", [$"{TC} 1:1"] },
        { "SELECT 1;\n  commit;", [$"{TC} 2:3"] },
        { "BEGIN;\nALTER TABLE t ADD c int;\nCOMMIT;", [$"{TC} 1:1", $"{TC} 3:1"] },
        { "begin work; end transaction;", [$"{TC} 1:1", $"{TC} 1:13"] },
        { "END;", [$"{TC} 1:1"] },
        { "ABORT;", [$"{TC} 1:1"] },
        { "ROLLBACK;", [$"{TC} 1:1"] },
        { "START TRANSACTION ISOLATION LEVEL SERIALIZABLE;", [$"{TC} 1:1"] },
        { "PREPARE TRANSACTION 'x';", [$"{TC} 1:1"] },
        { "COMMIT PREPARED 'x'; ROLLBACK PREPARED 'y';", [$"{TC} 1:1", $"{TC} 1:22"] },
        { "COMMIT AND CHAIN;", [$"{TC} 1:1"] },
        { "SAVEPOINT s; RELEASE SAVEPOINT s; RELEASE s; ROLLBACK TO SAVEPOINT s; ROLLBACK WORK TO s;", [] },
        { "PREPARE q AS SELECT 1; EXECUTE q; DEALLOCATE q;", [] },
        { "SELECT 'COMMIT; END;';", [] },
        { "SELECT $$COMMIT$$, E'\\'; ROLLBACK; \\'';", [] },
        { "-- COMMIT;\n/* ROLLBACK; /* nested */ END; */ SELECT 1;", [] },
        { "SELECT 1 AS \"end\"; SELECT 2 AS end;", [] },
        { "SELECT CASE WHEN x > 0 THEN 1 ELSE 2 END FROM t;", [] },
        { "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN COMMIT; END $$;", [] },
        { "CREATE PROCEDURE p() LANGUAGE plpgsql AS $body$\nBEGIN\n  COMMIT;\n  ROLLBACK;\nEND\n$body$;", [] },
        { "DO $$ BEGIN PERFORM 1; COMMIT; END $$;", [] },
        { "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN a > 0 THEN 1 END;\n  SELECT 2;\nEND;", [] },
        { "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO log VALUES (1); NOTIFY t);", [] },

        // Statements a transaction block refuses.
        { "CREATE INDEX CONCURRENTLY i ON t (a);", [$"{NT} 1:14"] },
        { "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);", [$"{NT} 1:21"] },
        { "create index concurrently on t (a);", [$"{NT} 1:14"] },
        { "DROP INDEX CONCURRENTLY IF EXISTS i;", [$"{NT} 1:12"] },
        { "CREATE INDEX i ON t (a); DROP INDEX i;", [] },
        { "REINDEX TABLE CONCURRENTLY t; REINDEX (VERBOSE) INDEX CONCURRENTLY i;", [$"{NT} 1:15", $"{NT} 1:55"] },
        { "REINDEX (CONCURRENTLY) TABLE t; REINDEX (CONCURRENTLY false) TABLE t;", [$"{NT} 1:1"] },
        { "REINDEX DATABASE app; REINDEX SYSTEM app; REINDEX SCHEMA s; REINDEX INDEX i;", [$"{NT} 1:1", $"{NT} 1:23", $"{NT} 1:43"] },
        { "ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY; ALTER TABLE p DETACH PARTITION p2;", [$"{NT} 1:35"] },
        { "VACUUM ANALYZE t; ANALYZE t;", [$"{NT} 1:1"] },
        { "CLUSTER; CLUSTER VERBOSE; CLUSTER (VERBOSE); CLUSTER t USING i; CLUSTER t;", [$"{NT} 1:1", $"{NT} 1:10", $"{NT} 1:27"] },
        { "CREATE DATABASE x; DROP DATABASE IF EXISTS x; ALTER DATABASE x SET TABLESPACE ts; ALTER DATABASE x SET work_mem = '1MB';", [$"{NT} 1:1", $"{NT} 1:20", $"{NT} 1:47"] },
        { "CREATE TABLESPACE ts LOCATION '/x'; DROP TABLESPACE ts;", [$"{NT} 1:1", $"{NT} 1:37"] },
        { "ALTER SYSTEM SET work_mem = '64MB';", [$"{NT} 1:1"] },
        { "DISCARD ALL; DISCARD TEMP;", [$"{NT} 1:1"] },
        { "CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p;", [$"{NT} 1:1"] },
        { "CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p WITH (connect = false);", [] },
        { "CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p WITH (create_slot = 'off');", [] },
        { "ALTER SUBSCRIPTION s REFRESH PUBLICATION; ALTER SUBSCRIPTION s ADD PUBLICATION q; ALTER SUBSCRIPTION s SET PUBLICATION q WITH (refresh = false); ALTER SUBSCRIPTION s DISABLE;", [$"{NT} 1:1", $"{NT} 1:43"] },
        { "DROP SUBSCRIPTION s;", [$"{NT} 1:1"] },
        { "REFRESH MATERIALIZED VIEW CONCURRENTLY mv;", [] },

        // Side effects a rollback does not undo.
        { "ALTER TABLE t ADD COLUMN id bigint DEFAULT nextval('s');", [$"{NU} 1:44"] },
        { "ALTER TABLE t ALTER COLUMN id SET DEFAULT nextval('s'), ADD COLUMN n bigint DEFAULT nextval('s2');", [$"{NU} 1:85"] },
        { "CREATE TABLE t (id bigint DEFAULT nextval('s'));", [] },
        { "CREATE TABLE t2 AS SELECT nextval('s') AS id;", [$"{NU} 1:27"] },
        { "INSERT INTO t (id) VALUES (nextval('s'));", [$"{NU} 1:28"] },
        { "SELECT pg_catalog.setval('s', 42);", [$"{NU} 1:8"] },
        { "SELECT PG_CATALOG.SETVAL('s', 42);", [$"{NU} 1:8"] },
        { "SELECT \"setval\"('s', 1); SELECT \"SETVAL\"('s', 1);", [$"{NU} 1:8"] },
        { "SELECT myschema.setval('s', 42);", [] },
        { "SELECT 'nextval(''s'')', nextval /* not a call */;", [] },
        { "CREATE FUNCTION next_id() RETURNS bigint BEGIN ATOMIC SELECT nextval('s'); END;", [] },
        { "CREATE VIEW v AS SELECT nextval('s');", [] },
        { "DROP FUNCTION IF EXISTS setval(regclass, bigint); COMMENT ON FUNCTION nextval(regclass) IS 'x';", [] },
        { "COPY t TO '/tmp/x';", [$"{NU} 1:11"] },
        { "COPY (SELECT 1) TO PROGRAM 'gzip > /tmp/x.gz';", [$"{NU} 1:20"] },
        { "COPY t FROM PROGRAM 'curl -s http://x';", [$"{NU} 1:13"] },
        { "COPY t TO STDOUT; COPY t (a, b) FROM '/data/t.csv' WITH (FORMAT csv);", [] },
        { "DO $$\nBEGIN\n  PERFORM setval('s', 1);\n  COMMIT;\nEND\n$$;", [$"{NU} 3:11"] },
        { "DO LANGUAGE plpgsql $x$ BEGIN PERFORM pg_advisory_lock(1); END $x$;", [$"{NU} 1:39"] },
        { "DO $$ BEGIN RAISE NOTICE 'setval(1)'; END $$ LANGUAGE plpgsql;", [] },
        { "DO LANGUAGE plpython3u $$ nextval(1) $$;", [] },
        { "SELECT * FROM dblink('dbname=x', 'SELECT 1') AS t(a int);", [$"{NU} 1:15"] },
        { "SELECT public.dblink_exec('conn', 'DELETE FROM t'); SELECT dblink_connect('c', 'dbname=x');", [$"{NU} 1:8", $"{NU} 1:60"] },
        { "SELECT pg_advisory_lock(1), pg_advisory_xact_lock(2), pg_advisory_unlock_all();", [$"{NU} 1:8", $"{NU} 1:55"] },
        { "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'x';", [$"{NU} 1:8"] },
        { "SELECT pg_reload_conf(), lo_export(1, '/tmp/x'), lo_import('/tmp/y'), pg_stat_reset();", [$"{NU} 1:8", $"{NU} 1:26", $"{NU} 1:71"] },
        { "SELECT pg_file_write('x', 'y', false); SELECT admin.pg_file_unlink('x');", [$"{NU} 1:8", $"{NU} 1:47"] },

        // Things a migration cannot do.
        { "COPY t FROM STDIN;\n1\tone\n\\.\n", [$"{US} 1:13", $"{US} 3:1"] },
        { "\\connect other\nSELECT 1;", [$"{US} 1:1"] },

        // Several findings in one statement, in rule order.
        { "CREATE DATABASE x; BEGIN; SELECT nextval('s');", [$"{NT} 1:1", $"{TC} 1:20", $"{NU} 1:34"] },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Finds_what_a_dry_run_must_know(string sql, string[] expected) =>
        Assert.Equal(expected, Analyze(sql).Select(f => $"{f.Kind} {f.Line}:{f.Column}"));

    [Theory]
    [InlineData("CREATE INDEX CONCURRENTLY i ON t (a)", "CREATE INDEX              i ON t (a)")]
    [InlineData("create unique index\n  concurrently if not exists i on t (a)", "create unique index\n               if not exists i on t (a)")]
    [InlineData("DROP INDEX CONCURRENTLY IF EXISTS i", "DROP INDEX              IF EXISTS i")]
    [InlineData("REINDEX TABLE CONCURRENTLY t", "REINDEX TABLE              t")]
    [InlineData("ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY", "ALTER TABLE p DETACH PARTITION p1             ")]
    public void Concurrent_statements_are_rewritten_with_positions_kept(string sql, string rewritten)
    {
        var statement = SqlStatementSplitter.Split("SELECT 1;\n  " + sql).Statements[1];
        var finding = Assert.Single(DryRunAnalyzer.Analyze(statement));

        Assert.Equal(DryRunFindingKind.NotTransactional, finding.Kind);
        Assert.True(finding.IsRewritten);
        Assert.Equal(rewritten, finding.Rewrite!.Text);
        Assert.Equal((2, 3, statement.Offset), (finding.Rewrite.Line, finding.Rewrite.Column, finding.Rewrite.Offset));
        Assert.DoesNotContain(finding.Rewrite.Tokens, t => t.IsKeyword("CONCURRENTLY"));
        Assert.Empty(DryRunAnalyzer.Analyze(finding.Rewrite));
        Assert.Equal(statement.LocationOf(sql.Length), finding.Rewrite.LocationOf(sql.Length));
    }

    [Theory]
    [InlineData("VACUUM t")]
    [InlineData("REINDEX (CONCURRENTLY) TABLE t")]
    [InlineData("CREATE DATABASE x")]
    public void Statements_without_a_transactional_form_are_not_rewritten(string sql)
    {
        var finding = Assert.Single(Analyze(sql));
        Assert.False(finding.IsRewritten);
        Assert.Contains("not rehearsed", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("end transaction", "END TRANSACTION controls the transaction itself")]
    [InlineData("Prepare Transaction 'x'", "PREPARE TRANSACTION controls")]
    [InlineData("COPY t TO '/tmp/x'", "does not remove it")]
    [InlineData("SELECT setval('s', 1)", "setval() changes a sequence")]
    [InlineData("SELECT pg_advisory_unlock_all()", "the lock OmegaDb holds")]
    [InlineData("SELECT pg_advisory_lock(1)", "Use pg_advisory_xact_lock")]
    [InlineData("CREATE INDEX CONCURRENTLY i ON t (a)", "rehearses it as a plain CREATE INDEX")]
    [InlineData("CLUSTER", "CLUSTER without a table name cannot run inside a transaction block")]
    [InlineData("\\set x 1", "'\\set' is a psql meta-command")]
    public void Messages_say_what_happens_and_what_to_do(string sql, string fragment) =>
        Assert.Contains(fragment, Assert.Single(Analyze(sql)).Message, StringComparison.Ordinal);

    [Fact]
    public void Findings_point_into_the_file_of_a_down_section()
    {
        var script = MigrationFileParser.Parse("/m/001_x.sql", "-- omega:up\nSELECT 1;\n-- omega:down\nSELECT 2;\nDO $$\nBEGIN\n    PERFORM nextval('s');\nEND $$;\n");
        var finding = Assert.Single(DryRunAnalyzer.Analyze(script.Down!.Statements));
        Assert.Equal((7, 13), (finding.Line, finding.Column));
        Assert.Equal((5, 1), (finding.Statement.Line, finding.Statement.Column));
    }
}
