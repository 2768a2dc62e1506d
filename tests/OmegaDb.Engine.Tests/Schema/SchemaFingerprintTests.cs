using Npgsql;
using OmegaDb.Connections;
using OmegaDb.Schema;
using OmegaDb.Tests.Sandboxes;

namespace OmegaDb.Tests.Schema;

/// <summary>
/// Two databases built from the same DDL in different orders; the first also serves the
/// single-change tests, each made inside a transaction that is rolled back.
/// </summary>
public sealed class FingerprintDatabases : IAsyncLifetime
{
    private readonly SandboxFixture _sandbox = new();

    public ScratchDatabase First { get; private set; } = null!;

    public ScratchDatabase Second { get; private set; } = null!;

    public IReadOnlyList<string> FirstOrder { get; } = ShuffledSchema.InOrder(seed: 1);

    public IReadOnlyList<string> SecondOrder { get; } = ShuffledSchema.InOrder(seed: 2);

    public OmegaSchema FirstSchema { get; private set; } = null!;

    public SandboxFixture Sandbox => _sandbox;

    public async Task InitializeAsync()
    {
        await _sandbox.InitializeAsync();
        First = await _sandbox.NewDatabaseAsync();
        Second = await _sandbox.NewDatabaseAsync();
        await ApplyAsync(First.Database, FirstOrder);
        await ApplyAsync(Second.Database, SecondOrder);
        FirstSchema = await SchemaTestSupport.ReadAsync(First.Database);
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private static async Task ApplyAsync(OmegaDatabase database, IEnumerable<string> statements)
    {
        await using var connection = await DatabaseConnector.OpenAsync(database, CancellationToken.None, pooling: false);
        foreach (var statement in statements)
        {
            await SchemaTestSupport.ExecuteAsync(connection, statement);
        }
    }
}

public sealed class SchemaFingerprintTests(FingerprintDatabases fixture) : IClassFixture<FingerprintDatabases>
{
    [Fact]
    public void Canonical_content_from_cached_objects_is_byte_for_byte_the_serializer_output()
    {
        // Twice: the second pass writes every object from the per-object cache.
        for (var pass = 0; pass < 2; pass++)
        {
            using var cached = new MemoryStream();
            using var whole = new MemoryStream();
            SchemaJson.WriteCanonicalContent(fixture.FirstSchema, cached);
            SchemaJson.WriteCanonicalContentUncached(fixture.FirstSchema, whole);
            Assert.True(fixture.FirstSchema.Tables.Count > 3 && fixture.FirstSchema.Functions.Count > 0);
            Assert.Equal(System.Text.Encoding.UTF8.GetString(whole.ToArray()), System.Text.Encoding.UTF8.GetString(cached.ToArray()));
        }

        var empty = new OmegaSchema();
        using var emptyCached = new MemoryStream();
        using var emptyWhole = new MemoryStream();
        SchemaJson.WriteCanonicalContent(empty, emptyCached);
        SchemaJson.WriteCanonicalContentUncached(empty, emptyWhole);
        Assert.Equal(emptyWhole.ToArray(), emptyCached.ToArray());
    }

    [Fact]
    public async Task Same_ddl_in_another_order_gives_the_same_fingerprint()
    {
        Assert.True(ShuffledSchema.StatementCount >= 25);
        Assert.NotEqual(fixture.FirstOrder, fixture.SecondOrder);

        var second = await SchemaTestSupport.ReadAsync(fixture.Second.Database);

        Assert.NotEqual(fixture.First.Database.Database, fixture.Second.Database.Database);
        Assert.Equal(SchemaTestSupport.Content(fixture.FirstSchema), SchemaTestSupport.Content(second));
        Assert.Equal(fixture.FirstSchema.Fingerprint, second.Fingerprint);
        // The snapshot really holds the objects, so the equality says something.
        Assert.Equal(5, fixture.FirstSchema.Tables.Count);
        Assert.Equal(2, fixture.FirstSchema.Views.Count);
        Assert.Equal(4, fixture.FirstSchema.Types.Count);
    }

    [Fact]
    public async Task Reading_twice_gives_the_same_fingerprint()
    {
        var again = await SchemaTestSupport.ReadAsync(fixture.First.Database);
        Assert.Equal(fixture.FirstSchema.Fingerprint, again.Fingerprint);
        Assert.NotEqual(fixture.FirstSchema.CapturedAt, again.CapturedAt);
    }

    public static TheoryData<string, string> Changes => new()
    {
        { "column type", "ALTER TABLE shop.orders ALTER COLUMN note TYPE varchar(200)" },
        { "column default", "ALTER TABLE shop.products ALTER COLUMN kind SET DEFAULT 'bundle'" },
        { "nullability", "ALTER TABLE shop.orders ALTER COLUMN note SET NOT NULL" },
        { "column comment", "COMMENT ON COLUMN shop.customers.email IS 'Sign-in address'" },
        { "collation", "ALTER TABLE shop.customers ALTER COLUMN name TYPE text COLLATE \"POSIX\"" },
        { "identity kind", "ALTER TABLE shop.customers ALTER COLUMN id SET GENERATED ALWAYS" },
        { "generated expression", "ALTER TABLE shop.products DROP COLUMN weight_kg; ALTER TABLE shop.products ADD COLUMN weight_kg numeric GENERATED ALWAYS AS (weight_g / 1024.0) STORED" },
        { "column renamed", "ALTER TABLE shop.orders RENAME COLUMN note TO remark" },
        { "column added", "ALTER TABLE shop.orders ADD COLUMN coupon text" },
        { "index predicate", "DROP INDEX shop.orders_open_idx; CREATE INDEX orders_open_idx ON shop.orders (customer_id) WHERE status = 'new'" },
        { "index method", "DROP INDEX shop.products_kind_idx; CREATE INDEX products_kind_idx ON shop.products USING hash (kind)" },
        { "index made unique", "DROP INDEX shop.products_kind_idx; CREATE UNIQUE INDEX products_kind_idx ON shop.products (kind)" },
        { "index ordering", "DROP INDEX shop.orders_placed_at_idx; CREATE INDEX orders_placed_at_idx ON shop.orders (placed_at)" },
        { "index include", "DROP INDEX shop.products_sku_incl_idx; CREATE INDEX products_sku_incl_idx ON shop.products (sku) INCLUDE (price, kind)" },
        { "index dropped", "DROP INDEX shop.customers_email_lower_idx" },
        { "constraint not valid", "ALTER TABLE shop.order_lines DROP CONSTRAINT order_lines_quantity_check; ALTER TABLE shop.order_lines ADD CONSTRAINT order_lines_quantity_check CHECK (quantity > 0) NOT VALID" },
        { "check expression", "ALTER TABLE shop.order_lines DROP CONSTRAINT order_lines_quantity_check; ALTER TABLE shop.order_lines ADD CONSTRAINT order_lines_quantity_check CHECK (quantity >= 0)" },
        { "foreign key on delete", "ALTER TABLE shop.orders DROP CONSTRAINT orders_customer_fkey; ALTER TABLE shop.orders ADD CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES shop.customers (id) ON DELETE RESTRICT" },
        { "constraint deferrable", "ALTER TABLE shop.order_lines ALTER CONSTRAINT order_lines_order_fkey DEFERRABLE INITIALLY DEFERRED" },
        { "function body", "CREATE OR REPLACE FUNCTION shop.vat(amount numeric) RETURNS numeric LANGUAGE sql IMMUTABLE RETURN amount * 0.21" },
        { "function volatility", "ALTER FUNCTION shop.vat(numeric) STABLE" },
        { "function overload", "CREATE FUNCTION shop.vat(amount integer) RETURNS numeric LANGUAGE sql IMMUTABLE RETURN amount * 0.2" },
        { "enum value", "ALTER TYPE shop.status ADD VALUE 'returned'" },
        { "domain constraint", "ALTER DOMAIN shop.price ADD CONSTRAINT price_cap CHECK (VALUE < 1000000)" },
        { "domain default", "ALTER DOMAIN shop.price SET DEFAULT 0" },
        { "composite attribute", "ALTER TYPE shop.address ADD ATTRIBUTE zip text" },
        { "view definition", "CREATE OR REPLACE VIEW shop.open_orders AS SELECT o.id, c.email FROM shop.orders o JOIN shop.customers c ON c.id = o.customer_id WHERE o.status = 'new'" },
        { "view comment", "COMMENT ON VIEW shop.open_orders IS NULL" },
        { "view option", "ALTER VIEW shop.open_orders SET (security_invoker = true)" },
        { "materialized view index", "CREATE INDEX sales_sold_idx ON shop.sales (sold)" },
        { "sequence increment", "ALTER SEQUENCE shop.invoice_seq INCREMENT BY 5" },
        { "sequence cycle", "ALTER SEQUENCE shop.invoice_seq CYCLE" },
        { "sequence owner", "ALTER SEQUENCE shop.invoice_seq OWNED BY NONE" },
        { "trigger timing", "DROP TRIGGER customers_stamp ON shop.customers; CREATE TRIGGER customers_stamp AFTER UPDATE ON shop.customers FOR EACH ROW EXECUTE FUNCTION audit.stamp()" },
        { "trigger disabled", "ALTER TABLE shop.customers DISABLE TRIGGER customers_stamp" },
        { "row security", "ALTER TABLE shop.orders ENABLE ROW LEVEL SECURITY" },
        { "table comment", "COMMENT ON TABLE shop.orders IS 'All orders'" },
        { "table added", "CREATE TABLE audit.extra (id integer)" },
        { "table moved", "ALTER TABLE audit.log SET SCHEMA shop" },
        { "procedure body", "CREATE OR REPLACE PROCEDURE audit.purge(older_than timestamptz) LANGUAGE sql AS $$ DELETE FROM audit.log WHERE at <= older_than $$" },
        { "new schema", "CREATE SCHEMA reports" },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task Each_single_change_changes_the_fingerprint(string change, string sql)
    {
        await AssertChangesFingerprintAsync(change, sql);
    }

    [SkippableFact]
    public async Task Adding_an_extension_changes_the_fingerprint()
    {
        Skip.IfNot(await AvailableAsync("pgcrypto"), "pgcrypto is not installed on this machine (postgresql-contrib).");
        await AssertChangesFingerprintAsync("extension added", "CREATE EXTENSION pgcrypto SCHEMA audit");
    }

    private async Task AssertChangesFingerprintAsync(string change, string sql)
    {
        await using var connection = await DatabaseConnector.OpenAsync(fixture.First.Database, CancellationToken.None, pooling: false);
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await SchemaTestSupport.ExecuteAsync(connection, sql);
            var changed = await SchemaTestSupport.ReadAsync(connection, fixture.First.Database);
            Assert.True(fixture.FirstSchema.Fingerprint != changed.Fingerprint, $"'{change}' left the fingerprint unchanged");
            await transaction.RollbackAsync();
        }

        Assert.Equal(fixture.FirstSchema.Fingerprint, (await SchemaTestSupport.ReadAsync(connection, fixture.First.Database)).Fingerprint);
    }

    [Theory]
    [InlineData("sequence value", "SELECT nextval('shop.invoice_seq'); SELECT setval('shop.invoice_seq', 5000)")]
    [InlineData("rows and statistics", "INSERT INTO shop.customers (email) SELECT 'c' || g FROM generate_series(1, 100) g; ANALYZE shop.customers")]
    [InlineData("materialized view refreshed", "REFRESH MATERIALIZED VIEW shop.sales")]
    [InlineData("table rewritten", "CLUSTER shop.customers USING customers_pkey")]
    public async Task Data_and_physical_changes_leave_the_fingerprint_alone(string change, string sql)
    {
        await using var connection = await DatabaseConnector.OpenAsync(fixture.First.Database, CancellationToken.None, pooling: false);
        await using var transaction = await connection.BeginTransactionAsync();
        await SchemaTestSupport.ExecuteAsync(connection, sql);
        var after = await SchemaTestSupport.ReadAsync(connection, fixture.First.Database);
        Assert.True(fixture.FirstSchema.Fingerprint == after.Fingerprint, $"'{change}' changed the fingerprint");
    }

    private async Task<bool> AvailableAsync(string extension)
    {
        await using var connection = await DatabaseConnector.OpenAsync(fixture.First.Database, CancellationToken.None, pooling: false);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_available_extensions WHERE name = $1", connection) { Parameters = { new() { Value = extension } } };
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }
}
