using Npgsql;
using OmegaDb.Connections;
using OmegaDb.Data;

namespace OmegaDb.Tests.Data;

/// <summary>A shop schema with several levels of foreign keys, a self-reference, a composite key and a generated column.</summary>
internal static class DataCopyTestSupport
{
    public const string ShopSchema = """
        CREATE TABLE regions (id int PRIMARY KEY, name text NOT NULL);
        CREATE TABLE customers (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            region_id int NOT NULL REFERENCES regions,
            email text NOT NULL UNIQUE,
            name text,
            referred_by bigint REFERENCES customers);
        CREATE TABLE products (sku text, variant int, title text NOT NULL, PRIMARY KEY (sku, variant));
        CREATE TABLE orders (
            id serial PRIMARY KEY,
            customer_id bigint NOT NULL REFERENCES customers,
            placed_at date NOT NULL,
            total numeric(10,2) NOT NULL,
            total_cents bigint GENERATED ALWAYS AS ((total * 100)::bigint) STORED);
        CREATE TABLE order_lines (
            order_id int REFERENCES orders,
            line int,
            sku text,
            variant int,
            qty int NOT NULL,
            PRIMARY KEY (order_id, line),
            FOREIGN KEY (sku, variant) REFERENCES products);
        CREATE TABLE newsletter (email text PRIMARY KEY, since date);
        """;

    // Customers come in referral chains of 20 (each referred by the one before), so a sampled
    // customer pulls its whole chain; order lines are inserted newest order first, so the first
    // lines on disk point at orders and customers far from the first ones.
    public const string ShopData = """
        INSERT INTO regions SELECT g, 'Region ' || g FROM generate_series(1, 10) g;
        INSERT INTO customers (region_id, email, name, referred_by)
        SELECT 1 + g % 10, 'person' || g || '@example.com', 'Person ' || g, CASE WHEN g % 20 = 1 THEN NULL ELSE g - 1 END
          FROM generate_series(1, 400) g;
        INSERT INTO products SELECT 'SKU-' || (g / 3), g % 3, 'Product ' || g FROM generate_series(0, 149) g;
        INSERT INTO orders (customer_id, placed_at, total)
        SELECT 1 + (g * 7) % 400, date '2024-01-01' + g % 365, (g % 500) + 0.99 FROM generate_series(1, 2000) g;
        INSERT INTO order_lines SELECT o, l, 'SKU-' || ((o + l) % 50), (o + l) % 3, l FROM generate_series(2000, 1, -1) o, generate_series(1, 3) l;
        INSERT INTO newsletter SELECT email, date '2024-06-01' FROM customers WHERE id % 4 = 0;
        """;

    public static async Task ExecuteAsync(OmegaDatabase database, string sql)
    {
        await using var connection = await DatabaseConnector.OpenAsync(database, CancellationToken.None, pooling: false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(OmegaDatabase database, string sql)
    {
        await using var connection = await DatabaseConnector.OpenAsync(database, CancellationToken.None, pooling: false);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static Task<IReadOnlyList<OmegaDataCopyResult>> CopyAsync(OmegaDatabase source, OmegaDatabase destination, DataCopyOptions? options = null) =>
        DataCopier.CopyAsync(source, destination, options ?? new DataCopyOptions(), new Progress<DataCopyProgress>(), CancellationToken.None);

    /// <summary>The orphans of every foreign key in the database, by constraint: all zero when every key holds.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> OrphansAsync(OmegaDatabase database)
    {
        await using var connection = await DatabaseConnector.OpenAsync(database, CancellationToken.None, pooling: false);
        var catalog = await DataCatalog.ReadAsync(connection, CancellationToken.None);
        var orphans = new Dictionary<string, long>();
        foreach (var edge in catalog.ForeignKeys)
        {
            orphans[edge.Name] = await ForeignKeyVerifier.CountOrphansAsync(connection, catalog.ByOid(edge.Child)!, catalog.ByOid(edge.Parent)!, edge, CancellationToken.None);
        }

        return orphans;
    }

    /// <summary>A table's rows as text, in key order: equal strings mean equal rows.</summary>
    public static Task<string> RowsAsync(OmegaDatabase database, string table, string orderBy, string? where = null) =>
        ScalarAsync<string>(database, $"SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY {orderBy}), '') FROM {table} t{(where is null ? string.Empty : " WHERE " + where)}");
}
