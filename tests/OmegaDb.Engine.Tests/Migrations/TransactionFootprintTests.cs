using Npgsql;
using OmegaDb.Connections;
using OmegaDb.Migrations;
using OmegaDb.Tests.Sandboxes;

namespace OmegaDb.Tests.Migrations;

/// <summary>
/// The footprint reads every file node once and then, per migration, only those of the
/// relations it locked and their indexes: it must find the same rewrites a full comparison
/// finds, across several migrations of one run.
/// </summary>
public sealed class TransactionFootprintTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task Finds_rewrites_of_tables_and_their_indexes_migration_after_migration()
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        await using var connection = await DatabaseConnector.OpenAsync(scratch.Database, CancellationToken.None, pooling: false);
        await ExecuteAsync(connection, """
            CREATE TABLE t (id int PRIMARY KEY, note text);
            CREATE INDEX t_note ON t (note);
            CREATE TABLE other (id int PRIMARY KEY);
            INSERT INTO t SELECT g, g::text FROM generate_series(1, 100) g;
            """);
        var footprint = await TransactionFootprint.CaptureAsync(connection, HistoryTable.Default, CancellationToken.None);

        // A column that only gets added: locked, not rewritten.
        var added = await InTransactionAsync(connection, footprint, "ALTER TABLE t ADD COLUMN extra text");
        Assert.Empty(added.Rewritten);
        Assert.Contains(added.Locks, l => l.Relation == "public.t" && l.Mode == "AccessExclusiveLock");
        Assert.DoesNotContain(added.Locks, l => l.Relation == "public.other");

        // A type change rewrites the table and rebuilds its other index in place; the index on
        // the changed column is made anew (another OID), so it is not a rewrite.
        var widened = await InTransactionAsync(connection, footprint, "ALTER TABLE t ALTER COLUMN id TYPE bigint");
        Assert.Equal(["public.t", "public.t_note"], widened.Rewritten);

        // The file nodes the earlier migration left are the new baseline: no second report.
        var after = await InTransactionAsync(connection, footprint, "COMMENT ON TABLE t IS 'again'");
        Assert.Empty(after.Rewritten);

        // A new table is created, not rewritten; a rewrite in a migration that was rolled back is forgotten.
        var created = await InTransactionAsync(connection, footprint, "CREATE TABLE fresh (id int PRIMARY KEY)");
        Assert.Empty(created.Rewritten);
        Assert.Contains(created.Locks, l => l.Relation == "public.fresh");
        await InTransactionAsync(connection, footprint, "ALTER TABLE other ALTER COLUMN id TYPE bigint", commit: false);
        var other = await InTransactionAsync(connection, footprint, "ALTER TABLE other ALTER COLUMN id TYPE bigint");
        Assert.Equal(["public.other"], other.Rewritten);
    }

    [Fact]
    public async Task In_a_shared_transaction_reports_only_the_locks_a_migration_took()
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        await using var connection = await DatabaseConnector.OpenAsync(scratch.Database, CancellationToken.None, pooling: false);
        await ExecuteAsync(connection, "CREATE TABLE a (id int); CREATE TABLE b (id int)");
        await using var transaction = await connection.BeginTransactionAsync();
        var footprint = await TransactionFootprint.CaptureAsync(connection, HistoryTable.Default, CancellationToken.None);

        await footprint.RememberHeldLocksAsync(connection, CancellationToken.None);
        await ExecuteAsync(connection, "ALTER TABLE a ADD COLUMN x int");
        var first = await footprint.MeasureAsync(connection, CancellationToken.None);
        footprint.Keep(first);
        await footprint.RememberHeldLocksAsync(connection, CancellationToken.None);
        await ExecuteAsync(connection, "ALTER TABLE b ADD COLUMN y int");
        var second = await footprint.MeasureAsync(connection, CancellationToken.None);

        Assert.Contains(first.Locks, l => l.Relation == "public.a");
        Assert.Contains(second.Locks, l => l.Relation == "public.b");
        Assert.DoesNotContain(second.Locks, l => l.Relation == "public.a");
        Assert.Contains("public.a", second.HeldRelations);
        await transaction.RollbackAsync();
    }

    private static async Task<FootprintMeasurement> InTransactionAsync(NpgsqlConnection connection, TransactionFootprint footprint, string sql, bool commit = true)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        footprint.ForgetHeldLocks();
        await ExecuteAsync(connection, sql);
        var measured = await footprint.MeasureAsync(connection, CancellationToken.None);
        if (commit)
        {
            await transaction.CommitAsync();
            footprint.Keep(measured);
        }
        else
        {
            await transaction.RollbackAsync();
        }

        return measured;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
