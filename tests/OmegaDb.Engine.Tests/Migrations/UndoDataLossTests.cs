using Npgsql;
using OmegaDb.Connections;
using OmegaDb.Migrations;
using OmegaDb.Tests.Sandboxes;

namespace OmegaDb.Tests.Migrations;

/// <summary>
/// The data-loss report of an undo, against real PostgreSQL: each count the undo measures is
/// compared with the same quantity taken by hand with plain SQL (for a DELETE, with the row
/// count of the DELETE itself, run and rolled back).
/// </summary>
public sealed class UndoDataLossTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("omega-undo-xunit-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_dropped_partitioned_table_counts_the_rows_of_each_partition()
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        var db = scratch.Database;
        await ApplyAsync(db,
            ("001_events.sql", """
                -- omega:up
                CREATE TABLE events (id int, at date NOT NULL) PARTITION BY RANGE (at);
                CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
                INSERT INTO events SELECT g, date '2024-01-01' + g FROM generate_series(1, 500) g;
                -- omega:down
                DROP TABLE events;
                """));

        var byHand = new Dictionary<string, long>
        {
            ["public.events_2024"] = await CountAsync(db, "SELECT count(*) FROM ONLY events_2024"),
            ["public.events_2025"] = await CountAsync(db, "SELECT count(*) FROM ONLY events_2025"),
        };
        var total = await CountAsync(db, "SELECT count(*) FROM events");

        var losses = await DryRunLossesAsync(db, count: 1);

        Assert.All(losses, l => Assert.Equal("Table", l.ObjectType));
        Assert.Equal("public.events", losses[0].Name);
        Assert.Equal(0, losses[0].Count);
        Assert.Equal(byHand, losses.Skip(1).ToDictionary(l => l.Name, l => l.Count));
        Assert.Equal(total, losses.Sum(l => l.Count));
        Assert.Contains("001_events: DROP TABLE public.events also drops public.events_2025", losses.Single(l => l.Name == "public.events_2025").Description);
    }

    [Fact]
    public async Task A_dropped_column_counts_its_non_null_values_only()
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        var db = scratch.Database;
        await ApplyAsync(db,
            ("001_people.sql", "CREATE TABLE people (id int PRIMARY KEY);\nINSERT INTO people SELECT generate_series(1, 1000);\n"),
            ("002_bio.sql", """
                -- omega:up
                ALTER TABLE people ADD COLUMN bio text, ADD COLUMN nick text;
                UPDATE people SET bio = 'b' || id WHERE id % 7 <> 0;
                -- omega:down
                ALTER TABLE people DROP COLUMN bio, DROP COLUMN IF EXISTS nick;
                """));

        var values = await CountAsync(db, "SELECT count(bio) FROM people");
        Assert.True(values is > 0 and < 1000, "some values are NULL, so count(bio) differs from the rows");

        var losses = await DryRunLossesAsync(db, count: 1);

        Assert.Equal(2, losses.Count);
        Assert.Equal(("Column", "public.people.bio", values), (losses[0].ObjectType, losses[0].Name, losses[0].Count));
        Assert.Equal(("public.people.nick", 0L), (losses[1].Name, losses[1].Count));
        Assert.Equal($"002_bio: DROP COLUMN public.people.bio destroys {values:N0} non-null values", losses[0].Description);
    }

    [Fact]
    public async Task Truncate_cascade_counts_the_rows_of_every_table_that_references_it_recursively()
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        var db = scratch.Database;
        await ApplyAsync(db,
            ("001_shop.sql", """
                CREATE TABLE customers (id int PRIMARY KEY);
                CREATE TABLE orders (id int PRIMARY KEY, customer int REFERENCES customers);
                CREATE TABLE lines (id int PRIMARY KEY, order_id int REFERENCES orders);
                CREATE TABLE unrelated (id int);
                INSERT INTO customers SELECT generate_series(1, 30);
                INSERT INTO orders SELECT g, 1 + g % 30 FROM generate_series(1, 200) g;
                INSERT INTO lines SELECT g, 1 + g % 200 FROM generate_series(1, 700) g;
                INSERT INTO unrelated SELECT generate_series(1, 5);
                """),
            ("002_reset.sql", "-- omega:up\nSELECT 1;\n-- omega:down\nTRUNCATE customers CASCADE;\n"));

        var losses = await DryRunLossesAsync(db, count: 1);

        Assert.All(losses, l => Assert.Equal("Rows", l.ObjectType));
        Assert.Equal(
            new Dictionary<string, long>
            {
                ["public.customers"] = await CountAsync(db, "SELECT count(*) FROM customers"),
                ["public.orders"] = await CountAsync(db, "SELECT count(*) FROM orders"),
                ["public.lines"] = await CountAsync(db, "SELECT count(*) FROM lines"),
            },
            losses.ToDictionary(l => l.Name, l => l.Count));
        Assert.Equal("public.customers", losses[0].Name);
    }

    [Fact]
    public async Task Delete_counts_what_its_condition_selects_once_per_row_even_when_using_joins_several_rows()
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        var db = scratch.Database;
        await ApplyAsync(db,
            ("001_data.sql", """
                CREATE TABLE items (id int PRIMARY KEY, kind text);
                CREATE TABLE tags (item int, tag text);
                INSERT INTO items SELECT g, CASE WHEN g % 3 = 0 THEN 'old' ELSE 'new' END FROM generate_series(1, 300) g;
                INSERT INTO tags SELECT g % 100, 'x' FROM generate_series(1, 400) g;
                """),
            ("002_purge.sql", """
                -- omega:up
                SELECT 1;
                -- omega:down
                DELETE FROM items i USING tags t WHERE t.item = i.id AND i.kind = 'old';
                WITH doomed AS (SELECT id FROM items WHERE id > 250) DELETE FROM items WHERE id IN (SELECT id FROM doomed);
                DELETE FROM tags;
                """));

        var usingRows = await RowsDeletedAsync(db, "DELETE FROM items i USING tags t WHERE t.item = i.id AND i.kind = 'old'");
        var joined = await CountAsync(db, "SELECT count(*) FROM items i, tags t WHERE t.item = i.id AND i.kind = 'old'");
        Assert.True(joined > usingRows, "the join multiplies rows, which a plain count over it would report");
        var withRows = await RowsDeletedAsync(db,
            "DELETE FROM items i USING tags t WHERE t.item = i.id AND i.kind = 'old'; WITH doomed AS (SELECT id FROM items WHERE id > 250) DELETE FROM items WHERE id IN (SELECT id FROM doomed)");
        var allTags = await CountAsync(db, "SELECT count(*) FROM tags");

        var losses = await DryRunLossesAsync(db, count: 1);

        Assert.Equal(3, losses.Count);
        Assert.Equal(usingRows, losses[0].Count);
        Assert.Equal(withRows - usingRows, losses[1].Count);
        Assert.Equal(allTags, losses[2].Count);
        Assert.Contains("(no WHERE: every row)", losses[2].Description);
    }

    [Fact]
    public async Task Objects_that_do_not_exist_under_if_exists_count_zero()
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        var db = scratch.Database;
        await ApplyAsync(db,
            ("001_t.sql", "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n"),
            ("002_gone.sql", """
                -- omega:up
                SELECT 1;
                -- omega:down
                DROP TABLE IF EXISTS never_there;
                ALTER TABLE IF EXISTS also_missing DROP COLUMN x;
                ALTER TABLE t DROP COLUMN IF EXISTS nope;
                """));

        var losses = await DryRunLossesAsync(db, count: 1);

        Assert.Equal(3, losses.Count);
        Assert.All(losses, l => Assert.True(l.Counted && l.Count == 0, l.Description));
        Assert.Contains("does not exist, nothing lost", losses[0].Description);
    }

    [Fact]
    public async Task Several_undone_migrations_are_measured_in_order_each_against_the_state_the_newer_downs_left()
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        var db = scratch.Database;
        await ApplyAsync(db,
            ("001_t.sql", "-- omega:up\nCREATE TABLE t (id int PRIMARY KEY);\nINSERT INTO t SELECT generate_series(1, 900);\n-- omega:down\nDROP TABLE t;\n"),
            ("002_note.sql", "-- omega:up\nALTER TABLE t ADD COLUMN note text;\nUPDATE t SET note = 'n' WHERE id % 2 = 0;\n-- omega:down\nALTER TABLE t DROP COLUMN note;\n"),
            ("003_purge.sql", "-- omega:up\nSELECT 1;\n-- omega:down\nDELETE FROM t WHERE id % 3 = 0;\n"));

        var deleted = await CountAsync(db, "SELECT count(*) FROM t WHERE id % 3 = 0");
        var notesLeft = await CountAsync(db, "SELECT count(note) FROM t WHERE id % 3 <> 0");
        var rowsLeft = await CountAsync(db, "SELECT count(*) FROM t WHERE id % 3 <> 0");
        Assert.NotEqual(notesLeft, await CountAsync(db, "SELECT count(note) FROM t"));

        var (results, _) = await DryRunAsync(db, to: 0);

        Assert.Equal([3L, 2L, 1L], results.Select(r => r.Version));
        Assert.Equal(deleted, Assert.Single(results[0].DataLoss).Count);
        Assert.Equal(notesLeft, Assert.Single(results[1].DataLoss).Count);
        Assert.Equal(rowsLeft, Assert.Single(results[2].DataLoss).Count);

        // The measurement ran in a transaction that was rolled back: all rows and the history are still there.
        Assert.Equal(900, await CountAsync(db, "SELECT count(*) FROM t"));
        Assert.Equal(3, await CountAsync(db, "SELECT count(*) FROM omegadb.migration_history"));
    }

    [Fact]
    public async Task A_count_that_fails_is_reported_as_not_counted_and_leaves_the_statement_to_fail_on_its_own()
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        var db = scratch.Database;
        await ApplyAsync(db,
            ("001_t.sql", "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1), (2);\n"),
            ("002_odd.sql", "-- omega:up\nSELECT 1;\n-- omega:down\nDELETE FROM t WHERE id = (SELECT id FROM t);\nDROP TABLE t;\n"));

        var request = new UndoRequest { Database = db, Scripts = MigrationDirectory.Load(_folder), DryRun = true };
        await using var session = await UndoSession.OpenAsync(request, new Progress<string>(), CancellationToken.None);

        // The count ran under a savepoint: the DELETE then fails with its own error, not with
        // "current transaction is aborted", and is located in its file.
        var failed = Assert.Single(session.DryRun!.Results);
        Assert.Equal(MigrationResultStatus.Failed, failed.Status);
        Assert.Equal(("21000", 4), (failed.Error!.SqlState, failed.Error.Line));
        var loss = Assert.Single(failed.DataLoss);
        Assert.False(loss.Counted);
        Assert.Contains("could not be counted (21000", loss.Description);
        Assert.Equal(UndoRehearsal.FailedErrorId, session.DryRun.Failure!.ErrorId);
        Assert.Equal(2, await CountAsync(db, "SELECT count(*) FROM t"));
    }

    [Fact]
    public async Task The_guard_refuses_loss_without_a_qualifying_backup_and_says_why_a_backup_does_not_qualify()
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        var db = scratch.Database;
        await ApplyAsync(db,
            ("001_t.sql", "-- omega:up\nCREATE TABLE t (id int);\nINSERT INTO t VALUES (1), (2);\n-- omega:down\nDROP TABLE t;\n"));
        var dump = Path.Combine(_folder, "t.dump");
        await File.WriteAllTextAsync(dump, "not really a dump");
        var fresh = Backup(db, dump, DateTimeOffset.UtcNow.AddMinutes(1));

        async Task<OmegaException?> UndoAsync(OmegaBackup? backup, bool force = false)
        {
            var request = new UndoRequest { Database = db, Scripts = MigrationDirectory.Load(_folder), Backup = backup, Force = force };
            await using var session = await UndoSession.OpenAsync(request, new Progress<string>(), CancellationToken.None);
            Assert.Equal(2, session.Losses.Single().Single().Count);
            return session.Refusal;
        }

        var refused = await UndoAsync(null);
        Assert.Equal(DataLossGuard.WouldLoseDataErrorId, refused?.ErrorId);
        Assert.Contains("would destroy 2 rows", refused!.Message);
        Assert.Contains("No backup was given", refused.Message);

        Assert.Contains("schema-only", (await UndoAsync(Backup(db, dump, DateTimeOffset.UtcNow.AddMinutes(1), schemaOnly: true)))?.Message);
        Assert.Contains("not of " + db.Database, (await UndoAsync(Backup(db, dump, DateTimeOffset.UtcNow.AddMinutes(1), database: "other")))?.Message);
        Assert.Contains("before migration 1 (t) was applied", (await UndoAsync(Backup(db, dump, DateTimeOffset.UtcNow.AddDays(-1))))?.Message);
        Assert.Contains("no longer exists", (await UndoAsync(Backup(db, dump + ".gone", DateTimeOffset.UtcNow.AddMinutes(1))))?.Message);
        Assert.Null(await UndoAsync(fresh));
        Assert.Null(await UndoAsync(null, force: true));

        // Opening measured and let it through, but only UndoAsync changes anything.
        Assert.Equal(2, await CountAsync(db, "SELECT count(*) FROM t"));
    }

    private static OmegaBackup Backup(OmegaDatabase db, string path, DateTimeOffset createdAt, bool schemaOnly = false, string? database = null) => new()
    {
        Database = database ?? db.Database, Host = db.Host, Port = db.Port, Source = db.ToString(), Path = path, ManifestPath = path + ".omega.json",
        Format = BackupFormat.Custom, SchemaOnly = schemaOnly, SizeBytes = 1, Sha256 = "00", CreatedAt = createdAt, Duration = TimeSpan.Zero,
        ServerVersion = "15", PgDumpVersion = "15", SchemaFingerprint = "00",
    };

    private async Task ApplyAsync(OmegaDatabase database, params (string Name, string Content)[] files)
    {
        foreach (var (name, content) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(_folder, name), content);
        }

        var outcome = await MigrationRunner.RunAsync(new MigrationRunRequest { Database = database, Scripts = MigrationDirectory.Load(_folder) },
            new Progress<string>(), CancellationToken.None);
        Assert.Null(outcome.Failure);
    }

    private async Task<IReadOnlyList<OmegaDataLoss>> DryRunLossesAsync(OmegaDatabase database, int count) =>
        (await DryRunAsync(database, count: count)).Results.SelectMany(r => r.DataLoss).ToList();

    private async Task<(IReadOnlyList<OmegaMigrationResult> Results, OmegaException? Failure)> DryRunAsync(OmegaDatabase database, int? count = null, long? to = null)
    {
        var request = new UndoRequest { Database = database, Scripts = MigrationDirectory.Load(_folder), Count = count, To = to, DryRun = true };
        await using var session = await UndoSession.OpenAsync(request, new Progress<string>(), CancellationToken.None);
        Assert.Null(session.DryRun!.Failure);
        Assert.All(session.DryRun.Results, r => Assert.Equal(MigrationResultStatus.DryRun, r.Status));
        return (session.DryRun.Results, session.DryRun.Failure);
    }

    private static async Task<long> CountAsync(OmegaDatabase database, string sql) =>
        Convert.ToInt64(await SandboxFixture.ScalarAsync(database, sql));

    /// <summary>The ground truth for a DELETE: the rows it removes, run and rolled back. For several statements, the last one's count is summed with the rest.</summary>
    private static async Task<long> RowsDeletedAsync(OmegaDatabase database, string sql)
    {
        await using var connection = await DatabaseConnector.OpenAsync(database, CancellationToken.None, pooling: false);
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        var rows = await command.ExecuteNonQueryAsync();
        await transaction.RollbackAsync();
        return rows;
    }
}
