using OmegaDb.Migrations;

namespace OmegaDb.Tests.Migrations;

/// <summary>
/// What the runner decides from a migration file before anything runs: which transaction
/// control refuses the run (dry or real), what a dry run rehearses in another form or leaves
/// out, and which statements are sent, one at a time, exactly as the analysis saw them.
/// </summary>
public class RunnerStatementPlanTests
{
    private static StatementPlan Plan(string content, bool dryRun, string fileName = "002_case.sql") =>
        StatementPlan.For(MigrationFileParser.Parse("/migrations/" + fileName, content), dryRun);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Transaction_control_in_a_transactional_up_section_refuses_dry_and_real_runs(bool dryRun)
    {
        var plan = Plan("CREATE TABLE a (id int);\ncommit;\nSELECT 1 / 0;", dryRun);
        var finding = Assert.Single(plan.TransactionControl);
        Assert.Equal(2, finding.Line);
        Assert.Equal(1, finding.Column);
    }

    [Fact]
    public void A_no_transaction_migration_may_group_statements_in_a_real_run_but_not_in_a_dry_run()
    {
        const string content = "-- omega:no-transaction\nBEGIN;\nUPDATE t SET a = 1;\nCOMMIT;\n";
        Assert.Empty(Plan(content, dryRun: false).TransactionControl);
        Assert.Equal(2, Plan(content, dryRun: true).TransactionControl.Count);
    }

    [Theory]
    [InlineData("-- omega:up\nDELETE FROM t;\n-- omega:verify\nSELECT true;\nCOMMIT;", 5)]
    [InlineData("-- omega:up\nDELETE FROM t;\n-- omega:verify\n/* check */ END;\nSELECT true;", 4)]
    [InlineData("-- omega:no-transaction\n-- omega:up\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- omega:verify\nROLLBACK;", 5)]
    public void Transaction_control_in_a_verify_section_always_refuses_the_run(string content, int line)
    {
        foreach (var dryRun in new[] { true, false })
        {
            var finding = Assert.Single(Plan(content, dryRun).TransactionControl);
            Assert.Equal(line, finding.Line);
        }
    }

    [Fact]
    public void Commit_inside_strings_comments_bodies_and_begin_atomic_is_not_transaction_control()
    {
        const string content = """
            INSERT INTO notes VALUES ('COMMIT; DROP TABLE x;');
            /* outer /* COMMIT; */ END; */ UPDATE t SET a = E'it\'s; COMMIT';
            DO $$ BEGIN COMMIT; END $$;
            CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;
            """;
        var plan = Plan(content, dryRun: true);
        Assert.Empty(plan.TransactionControl);
        Assert.Equal(4, plan.Steps.Count);
        Assert.EndsWith("END", plan.Steps[3].Run.Text.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_dry_run_rehearses_concurrently_in_its_plain_form_and_leaves_out_what_a_transaction_refuses()
    {
        var plan = Plan("CREATE INDEX CONCURRENTLY i ON t (a);\nVACUUM t;\nUPDATE t SET a = 1;", dryRun: true);
        Assert.Equal(2, plan.Steps.Count);
        Assert.DoesNotContain("CONCURRENTLY", plan.Steps[0].Run.Text, StringComparison.Ordinal);
        Assert.Contains("CONCURRENTLY", plan.Steps[0].Statement.Text, StringComparison.Ordinal);
        Assert.StartsWith("UPDATE", plan.Steps[1].Run.Text, StringComparison.Ordinal);
        Assert.Contains(plan.Warnings, w => w.StartsWith("Rehearsed in a changed form at 002_case.sql:1:14", StringComparison.Ordinal));
        Assert.Contains(plan.Warnings, w => w.StartsWith("Not rehearsable at 002_case.sql:2:1", StringComparison.Ordinal) && w.Contains("VACUUM", StringComparison.Ordinal));
    }

    [Fact]
    public void A_real_run_sends_concurrently_as_written()
    {
        var plan = Plan("-- omega:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);", dryRun: false);
        Assert.Contains("CONCURRENTLY", Assert.Single(plan.Steps).Run.Text, StringComparison.Ordinal);
        Assert.Empty(plan.Warnings);
    }

    [Theory]
    [InlineData("SELECT nextval('s');", "nextval()")]
    [InlineData("SELECT setval('s', 10);", "setval()")]
    [InlineData("COPY (SELECT 1) TO '/tmp/x.csv';", "COPY TO a file")]
    [InlineData("SELECT dblink_exec('dbname=x', 'DROP TABLE t');", "dblink_exec()")]
    public void A_dry_run_warns_about_effects_a_rollback_cannot_undo(string sql, string expected)
    {
        var warning = Assert.Single(Plan(sql, dryRun: true).Warnings);
        Assert.StartsWith("Not undone by the dry run's rollback at 002_case.sql:1:", warning, StringComparison.Ordinal);
        Assert.Contains(expected, warning, StringComparison.Ordinal);
        Assert.Empty(Plan(sql, dryRun: false).Warnings);
    }
}
