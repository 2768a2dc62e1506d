using Npgsql;
using OmegaDb.Connections;
using OmegaDb.Migrations;
using OmegaDb.Schema;
using OmegaDb.Tests.Sandboxes;

namespace OmegaDb.Tests.Schema;

/// <summary>
/// The incremental read after a migration must be exactly what a full read gives: for each
/// kind of change a migration makes, both are taken inside the same open transaction and
/// compared as the JSON the fingerprint hashes.
/// </summary>
public sealed class IncrementalSchemaReaderTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const string Setup = """
        CREATE TYPE mood AS ENUM ('sad', 'ok');
        CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE, mood mood);
        CREATE TABLE orders (id serial PRIMARY KEY, user_id bigint REFERENCES users (id), total numeric(12,2) DEFAULT 0, note text);
        CREATE INDEX orders_user ON orders (user_id);
        CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);
        CREATE TABLE events_2025 (id int, at date);
        CREATE SEQUENCE invoice_no;
        INSERT INTO users (email) VALUES ('a@example.com');
        """;

    public static TheoryData<string> Migrations => new()
    {
        "ALTER TABLE orders ADD COLUMN shipped_at timestamptz",
        "ALTER TABLE orders ALTER COLUMN note TYPE varchar(200)",
        "ALTER TABLE orders ALTER COLUMN total SET DEFAULT 1; ALTER TABLE orders ALTER COLUMN note SET NOT NULL",
        "ALTER TABLE orders DROP COLUMN note",
        "CREATE INDEX orders_total ON orders (total) WHERE total > 0",
        "DROP INDEX orders_user",
        "ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total >= 0) NOT VALID",
        "ALTER TABLE users ADD COLUMN referrer bigint; ALTER TABLE users ADD CONSTRAINT users_referrer FOREIGN KEY (referrer) REFERENCES users (id)",
        "COMMENT ON COLUMN users.email IS 'login'; COMMENT ON TABLE orders IS 'money'",
        "CREATE TABLE invoices (id bigint PRIMARY KEY DEFAULT nextval('invoice_no'), order_id int NOT NULL REFERENCES orders (id))",
        "CREATE VIEW user_emails AS SELECT email FROM users; CREATE MATERIALIZED VIEW order_totals AS SELECT user_id, sum(total) FROM orders GROUP BY user_id; CREATE INDEX ON order_totals (user_id)",
        "DROP VIEW big_orders; DROP TABLE orders",
        "CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch()",
        "ALTER TYPE mood ADD VALUE 'happy'; CREATE TABLE moods (m mood)",
        "ALTER SEQUENCE invoice_no INCREMENT BY 10; CREATE SEQUENCE other_no",
        "ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
        "CREATE SCHEMA billing; CREATE TABLE billing.accounts (id int PRIMARY KEY)",
        "INSERT INTO users (email) VALUES ('b@example.com'); UPDATE orders SET total = 2; DELETE FROM orders",
        "CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.note := 'x'; RETURN NEW; END $$",
        "ALTER TABLE users ENABLE ROW LEVEL SECURITY; ALTER TABLE users ALTER COLUMN email TYPE varchar(320)",
        "CREATE TABLE plain_new (id int); INSERT INTO plain_new VALUES (1)",
        "ALTER TABLE users ADD COLUMN n serial; CREATE TABLE counters (id bigserial PRIMARY KEY)",
        "COMMENT ON FUNCTION touch() IS 'touches'",
        "COMMENT ON TYPE mood IS 'how it went'; COMMENT ON SEQUENCE invoice_no IS 'numbers'",
        "CREATE TABLE IF NOT EXISTS users (id int)",
        "DROP INDEX orders_user; CREATE FUNCTION answer() RETURNS int LANGUAGE sql AS 'SELECT 42'",
        "CREATE INDEX orders_note ON orders (note); ALTER TABLE orders ALTER COLUMN note TYPE int USING length(note)",
    };

    /// <summary>Which of the runner's shortcuts each migration above takes; each must be taken by some.</summary>
    [Fact]
    public void The_migrations_cover_every_kind_of_incremental_scope()
    {
        var plans = ((IEnumerable<object[]>)Migrations).Select(m => StatementPlan.For(MigrationFileParser.Parse("/m/002_case.sql", (string)m[0]), dryRun: false)).ToList();
        Assert.Contains(plans, p => p.KeepsRelations && p.KeepsRoutines);
        Assert.Contains(plans, p => p.KeepsRelations && !p.KeepsRoutines);
        Assert.Contains(plans, p => !p.KeepsRelations && p.KeepsRoutines);
        Assert.Contains(plans, p => !p.KeepsRelations && !p.KeepsRoutines);
    }

    [Theory]
    [MemberData(nameof(Migrations))]
    public async Task Reads_what_a_full_read_reads(string migration)
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        var database = scratch.Database;
        await using var connection = await DatabaseConnector.OpenAsync(database, CancellationToken.None, pooling: false);
        await ExecuteAsync(connection, Setup);
        var before = await SchemaReader.ReadAsync(connection, database, SchemaReadOptions.Default, CancellationToken.None);

        // As the runner does it: file nodes once, then per migration one measurement, and the
        // scope its statements allow.
        var plan = StatementPlan.For(MigrationFileParser.Parse("/m/002_case.sql", migration), dryRun: false);
        var footprint = await TransactionFootprint.CaptureAsync(connection, HistoryTable.Default, CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        footprint.ForgetHeldLocks();
        await ExecuteAsync(connection, migration);
        var measured = await footprint.MeasureAsync(connection, CancellationToken.None);
        var touched = measured.HeldRelations;
        var incremental = await IncrementalSchemaReader.ReadAsync(connection, database, SchemaReadOptions.Default, before, plan.ScopeAfter(measured),
            CancellationToken.None);
        var full = await SchemaReader.ReadAsync(connection, database, SchemaReadOptions.Default, CancellationToken.None);

        Assert.Equal(Content(full), Content(incremental));
        Assert.Equal(full.Fingerprint, incremental.Fingerprint);
        Assert.True(touched.Count < full.Tables.Count + full.Views.Count + full.Sequences.Count || touched.Count <= 3,
            $"The migration touched {touched.Count} relations: nothing would be saved by reading incrementally.");
        await transaction.RollbackAsync();
    }

    [Fact]
    public async Task Leaves_the_transactions_settings_as_the_migration_left_them()
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        var database = scratch.Database;
        await using var connection = await DatabaseConnector.OpenAsync(database, CancellationToken.None, pooling: false);
        await ExecuteAsync(connection, Setup);
        var before = await SchemaReader.ReadAsync(connection, database, SchemaReadOptions.Default, CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        // A migration may set both for the rest of its transaction; the read sets both for itself.
        await ExecuteAsync(connection, "SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL search_path = pg_temp, public; ALTER TABLE orders ADD COLUMN shipped_at timestamptz");
        for (var read = 0; read < 2; read++)
        {
            var after = await IncrementalSchemaReader.ReadAsync(connection, database, SchemaReadOptions.Default, before,
                new IncrementalScope(new HashSet<string>(["public.orders"], StringComparer.Ordinal)), CancellationToken.None);
            Assert.Contains(after.Tables.Single(t => t.Name == "orders").Columns, c => c.Name == "shipped_at");
            await using var settings = new NpgsqlCommand("SELECT current_setting('plan_cache_mode') || ' ' || current_setting('search_path')", connection);
            Assert.Equal("force_custom_plan pg_temp, public", await settings.ExecuteScalarAsync());
        }

        await transaction.RollbackAsync();
    }

    [Theory]
    [InlineData("ALTER TABLE orders RENAME COLUMN note TO remark", false)]
    [InlineData("ALTER TYPE mood RENAME TO feeling", false)]
    [InlineData("DROP TABLE users CASCADE", false)]
    [InlineData("ALTER TABLE orders SET SCHEMA archive", false)]
    [InlineData("DO $$ BEGIN EXECUTE 'ALTER TABLE a RENAME TO b'; END $$", false)]
    [InlineData("SELECT make_partitions()", false)]
    [InlineData("ALTER TABLE orders ADD COLUMN shipped_at timestamptz;\nCREATE INDEX ON orders (shipped_at)", true)]
    [InlineData("COMMENT ON TABLE orders IS 'rename me later'", true)]
    public void Reads_incrementally_only_when_every_statement_locks_what_it_changes(string up, bool incremental)
    {
        var plan = StatementPlan.For(MigrationFileParser.Parse("/m/002_case.sql", up), dryRun: false);
        Assert.Equal(incremental, plan.IncrementalCapture);
    }

    private static string Content(OmegaSchema schema)
    {
        using var content = new MemoryStream();
        SchemaJson.WriteCanonicalContent(schema, content);
        return System.Text.Encoding.UTF8.GetString(content.ToArray());
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
