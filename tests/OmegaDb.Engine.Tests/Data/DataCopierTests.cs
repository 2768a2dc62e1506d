using System.Collections;
using OmegaDb.Data;
using OmegaDb.Tests.Sandboxes;
using static OmegaDb.Tests.Data.DataCopyTestSupport;

namespace OmegaDb.Tests.Data;

public sealed class DataCopierTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private async Task<(ScratchDatabase Source, ScratchDatabase Destination)> ShopAsync(bool data = true)
    {
        var source = await fixture.NewDatabaseAsync();
        var destination = await fixture.NewDatabaseAsync();
        await ExecuteAsync(source.Database, ShopSchema + (data ? ShopData : string.Empty));
        await ExecuteAsync(destination.Database, ShopSchema);
        return (source, destination);
    }

    [Fact]
    public async Task A_full_copy_moves_every_row_parents_first_and_advances_sequences()
    {
        var (source, destination) = await ShopAsync();
        await using var _ = source;
        await using var __ = destination;

        var results = await CopyAsync(source.Database, destination.Database);

        Assert.Equal(6, results.Count);
        Assert.True(Index(results, "regions") < Index(results, "customers"));
        Assert.True(Index(results, "customers") < Index(results, "orders"));
        Assert.True(Index(results, "orders") < Index(results, "order_lines"));
        Assert.True(Index(results, "products") < Index(results, "order_lines"));
        Assert.Equal(400, results.Single(r => r.Table == "customers").Rows);
        Assert.Equal(6000, results.Single(r => r.Table == "order_lines").Rows);
        Assert.All(results, r => Assert.False(r.Sampled));
        Assert.All(results, r => Assert.True(r.Bytes > 0));
        foreach (var (table, key) in new[] { ("customers", "id"), ("orders", "id"), ("order_lines", "order_id, line"), ("products", "sku, variant") })
        {
            Assert.Equal(await RowsAsync(source.Database, table, key), await RowsAsync(destination.Database, table, key));
        }

        // The identity and serial sequences moved past the copied keys: new rows fit.
        Assert.Equal(401L, await ScalarAsync<long>(destination.Database, "INSERT INTO customers (region_id, email) VALUES (1, 'new@example.com') RETURNING id"));
        Assert.Equal(2001, await ScalarAsync<int>(destination.Database, "INSERT INTO orders (customer_id, placed_at, total) VALUES (1, now(), 1) RETURNING id"));
    }

    private static int Index(IReadOnlyList<OmegaDataCopyResult> results, string table) => results.ToList().FindIndex(r => r.Table == table);

    [Fact]
    public async Task A_sample_brings_the_parent_rows_it_references_so_every_foreign_key_holds()
    {
        var (source, destination) = await ShopAsync();
        await using var _ = source;
        await using var __ = destination;

        var results = await CopyAsync(source.Database, destination.Database, new DataCopyOptions { Limit = 5 });

        Assert.All(results, r => Assert.True(r.Sampled));
        Assert.Equal(5, results.Single(r => r.Table == "order_lines").Rows);
        Assert.Equal(5L, await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM order_lines"));
        // More than 5 orders and customers: the lines' orders and the orders' customers, and
        // each sampled customer's whole referral chain (up to 19 levels of self-reference).
        Assert.True(await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM orders") > 5);
        Assert.True(await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM customers") > 20);
        Assert.Equal(0L, await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM customers WHERE referred_by IS NULL AND id % 20 <> 1"));
        Assert.All(await OrphansAsync(destination.Database), o => Assert.Equal(0, o.Value));
        // The copied rows are the source's rows, not lookalikes.
        var ids = await ScalarAsync<string>(destination.Database, "SELECT string_agg(id::text, ',') FROM customers");
        Assert.Equal(await RowsAsync(source.Database, "customers", "id", $"id IN ({ids})"), await RowsAsync(destination.Database, "customers", "id"));
        Assert.Equal(results.Sum(r => r.Rows), await ScalarAsync<long>(destination.Database,
            "SELECT (SELECT count(*) FROM regions) + (SELECT count(*) FROM customers) + (SELECT count(*) FROM products) + (SELECT count(*) FROM orders) + (SELECT count(*) FROM order_lines) + (SELECT count(*) FROM newsletter)"));
    }

    [Fact]
    public async Task A_filter_picks_rows_per_table_and_parents_still_follow()
    {
        var (source, destination) = await ShopAsync();
        await using var _ = source;
        await using var __ = destination;

        var results = await CopyAsync(source.Database, destination.Database, new DataCopyOptions
        {
            Tables = ["orders", "customers", "regions"],
            TableWhere = new Dictionary<string, string> { ["orders"] = "placed_at >= date '2024-12-01'", ["regions"] = "id = 3" },
        });

        Assert.Equal(3, results.Count);
        var orders = results.Single(r => r.Table == "orders");
        Assert.Equal("placed_at >= date '2024-12-01'", orders.Where);
        Assert.Equal(await ScalarAsync<long>(source.Database, "SELECT count(*) FROM orders WHERE placed_at >= date '2024-12-01'"), orders.Rows);
        // Customers are not filtered: all of them, and with them every region they live in, not only region 3.
        Assert.Equal(400L, await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM customers"));
        Assert.Equal(10L, await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM regions"));
        Assert.False(results.Single(r => r.Table == "customers").Sampled);
        Assert.All(await OrphansAsync(destination.Database), o => Assert.Equal(0, o.Value));
    }

    [Fact]
    public async Task Masks_are_deterministic_across_tables_and_runs_and_joins_still_match()
    {
        var (source, destination) = await ShopAsync();
        await using var _ = source;
        await using var __ = destination;
        await using var again = await fixture.NewDatabaseAsync();
        await ExecuteAsync(again.Database, ShopSchema);
        var masks = new Dictionary<string, object?>
        {
            ["customers.email"] = "Email",
            ["public.newsletter.email"] = "Email",
            ["customers.name"] = "Name",
            ["products.title"] = new Hashtable { ["Fixed"] = "redacted" },
        };

        var results = await CopyAsync(source.Database, destination.Database, new DataCopyOptions { Masks = masks });
        await CopyAsync(source.Database, again.Database, new DataCopyOptions { Masks = masks, Tables = ["customers", "regions"] });

        Assert.Equal(["email=Email", "name=Name"], results.Single(r => r.Table == "customers").MaskedColumns);
        Assert.Equal(0L, await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM customers WHERE email LIKE 'person%' OR email NOT LIKE 'user-%@example.invalid'"));
        Assert.Equal(0L, await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM customers WHERE name LIKE 'Person%'"));
        Assert.Equal(400L, await ScalarAsync<long>(destination.Database, "SELECT count(DISTINCT email) FROM customers"));
        Assert.Equal(1L, await ScalarAsync<long>(destination.Database, "SELECT count(DISTINCT title) FROM products"));
        // Masked in two tables, the same addresses still join.
        Assert.Equal(100L, await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM newsletter n JOIN customers c ON c.email = n.email"));
        Assert.Equal(await RowsAsync(destination.Database, "customers", "id"), await RowsAsync(again.Database, "customers", "id"));
    }

    [Fact]
    public async Task A_key_masked_the_same_on_both_sides_of_a_foreign_key_still_holds_in_a_sample()
    {
        var (source, destination) = await ShopAsync();
        await using var _ = source;
        await using var __ = destination;

        await CopyAsync(source.Database, destination.Database, new DataCopyOptions
        {
            Limit = 20,
            Masks = new Dictionary<string, object?> { ["products.sku"] = "Hash", ["order_lines.sku"] = "Hash" },
        });

        Assert.Equal(0L, await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM products WHERE sku LIKE 'SKU-%' OR length(sku) <> 64"));
        Assert.Equal(20L, await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM order_lines l JOIN products p USING (sku, variant)"));
        Assert.All(await OrphansAsync(destination.Database), o => Assert.Equal(0, o.Value));
    }

    [Theory]
    [InlineData("customers.email", "Null", DataCopyPlanner.MaskNotNullColumnErrorId)]
    [InlineData("customers.nickname", "Hash", DataCopyPlanner.MaskColumnNotFoundErrorId)]
    [InlineData("clients.email", "Hash", DataCopyPlanner.MaskColumnNotFoundErrorId)]
    [InlineData("customers.email", "Scramble", ColumnMask.InvalidMaskErrorId)]
    [InlineData("customers.region_id", "Email", ColumnMask.InvalidMaskErrorId)]
    [InlineData("orders.total_cents", "Null", ColumnMask.InvalidMaskErrorId)]
    [InlineData("orders.placed_at", "Fixed:not a date", ColumnMask.InvalidMaskErrorId)]
    [InlineData("customers.id", "Fixed:1", DataCopyPlanner.MaskBreaksForeignKeyErrorId)]
    [InlineData("email", "Hash", ColumnMask.InvalidMaskErrorId)]
    public async Task A_bad_mask_is_refused_before_anything_is_copied(string key, string masker, string errorId)
    {
        var (source, destination) = await ShopAsync();
        await using var _ = source;
        await using var __ = destination;

        var ex = await Assert.ThrowsAsync<OmegaException>(() => CopyAsync(source.Database, destination.Database,
            new DataCopyOptions { Masks = new Dictionary<string, object?> { [key] = masker } }));

        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(0L, await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM regions"));
    }

    [Theory]
    [InlineData("no_such_column > 1")]
    [InlineData("true; DELETE FROM regions")]
    [InlineData("id = 'unterminated")]
    public async Task A_bad_filter_is_refused_naming_the_table(string where)
    {
        var (source, destination) = await ShopAsync();
        await using var _ = source;
        await using var __ = destination;

        var ex = await Assert.ThrowsAsync<OmegaException>(() => CopyAsync(source.Database, destination.Database, new DataCopyOptions { Tables = ["regions"], Where = where }));

        Assert.Equal(DataCopyPlanner.InvalidWhereErrorId, ex.ErrorId);
        Assert.Equal(10L, await ScalarAsync<long>(source.Database, "SELECT count(*) FROM regions"));
    }

    [Fact]
    public async Task Two_filters_for_one_table_are_refused()
    {
        var (source, destination) = await ShopAsync();
        await using var _ = source;
        await using var __ = destination;

        var ex = await Assert.ThrowsAsync<OmegaException>(() => CopyAsync(source.Database, destination.Database, new DataCopyOptions
        {
            TableWhere = new Dictionary<string, string> { ["order*"] = "true", ["orders"] = "id < 5" },
        }));

        Assert.Equal(DataCopyPlanner.InvalidWhereErrorId, ex.ErrorId);
        Assert.Contains("public.orders", ex.Message);
    }

    [Fact]
    public async Task The_orphan_check_finds_rows_whose_parent_is_missing()
    {
        var (source, destination) = await ShopAsync();
        await using var _ = source;
        await using var __ = destination;
        await ExecuteAsync(destination.Database, """
            INSERT INTO regions VALUES (1, 'r');
            INSERT INTO customers (region_id, email) VALUES (1, 'e');
            INSERT INTO orders (customer_id, placed_at, total) VALUES (1, now(), 1);
            INSERT INTO products VALUES ('SKU-1', 1, 'p');
            ALTER TABLE order_lines DROP CONSTRAINT order_lines_sku_variant_fkey;
            INSERT INTO order_lines VALUES (1, 1, 'SKU-1', 1, 1), (1, 2, 'SKU-2', 0, 1), (1, 3, NULL, 0, 1);
            ALTER TABLE order_lines ADD CONSTRAINT order_lines_sku_variant_fkey FOREIGN KEY (sku, variant) REFERENCES products NOT VALID;
            """);

        var orphans = await OrphansAsync(destination.Database);

        // SKU-2 is missing; the line with a NULL sku references nothing (MATCH SIMPLE).
        Assert.Equal(1, orphans["order_lines_sku_variant_fkey"]);
        Assert.Equal(0, orphans["order_lines_order_id_fkey"]);
    }

    [Fact]
    public async Task A_read_only_source_copies_whole_tables_and_refuses_a_sample_clearly()
    {
        var (source, destination) = await ShopAsync();
        await using var _ = source;
        await using var __ = destination;
        await ExecuteAsync(source.Database, $"ALTER DATABASE \"{source.Database.Database}\" SET default_transaction_read_only = on");

        var ex = await Assert.ThrowsAsync<OmegaException>(() => CopyAsync(source.Database, destination.Database, new DataCopyOptions { Limit = 5 }));
        Assert.Equal(RowSampler.ReadOnlySourceErrorId, ex.ErrorId);

        var results = await CopyAsync(source.Database, destination.Database);
        Assert.Equal(6000, results.Single(r => r.Table == "order_lines").Rows);
    }

    [Fact]
    public async Task A_filter_cannot_write_to_the_source()
    {
        var (source, destination) = await ShopAsync();
        await using var _ = source;
        await using var __ = destination;
        await ExecuteAsync(source.Database, "CREATE FUNCTION wipe() RETURNS boolean LANGUAGE sql AS 'DELETE FROM newsletter RETURNING true'");

        var ex = await Assert.ThrowsAsync<OmegaException>(() => CopyAsync(source.Database, destination.Database, new DataCopyOptions { Tables = ["regions"], Where = "wipe()" }));

        Assert.Contains("read-only", ex.Message);
        Assert.Equal(100L, await ScalarAsync<long>(source.Database, "SELECT count(*) FROM newsletter"));
    }

    [Fact]
    public async Task Missing_tables_and_different_columns_are_refused_with_every_problem_named()
    {
        var (source, destination) = await ShopAsync();
        await using var _ = source;
        await using var __ = destination;
        await ExecuteAsync(destination.Database, "DROP TABLE newsletter");

        var missing = await Assert.ThrowsAsync<OmegaException>(() => CopyAsync(source.Database, destination.Database));
        Assert.Equal(DataCopyPlanner.DestinationTableMissingErrorId, missing.ErrorId);
        Assert.Contains("public.newsletter", missing.Message);

        await ExecuteAsync(destination.Database, "ALTER TABLE regions ADD COLUMN code text; ALTER TABLE products ALTER COLUMN variant TYPE bigint");
        var mismatch = await Assert.ThrowsAsync<OmegaException>(() => CopyAsync(source.Database, destination.Database, new DataCopyOptions { Tables = ["regions", "products"] }));
        Assert.Equal(DataCopyPlanner.ColumnMismatchErrorId, mismatch.ErrorId);
        Assert.Contains("code exists only in the destination", mismatch.Message);
        Assert.Contains("variant is integer in the source but bigint in the destination", mismatch.Message);

        var unknown = await Assert.ThrowsAsync<OmegaException>(() => CopyAsync(source.Database, destination.Database, new DataCopyOptions { Tables = ["regoins"] }));
        Assert.Equal(DataCopyPlanner.TableNotFoundErrorId, unknown.ErrorId);
    }

    [Fact]
    public async Task A_failure_part_way_leaves_nothing_copied_and_truncate_makes_a_rerun_work()
    {
        var (source, destination) = await ShopAsync();
        await using var _ = source;
        await using var __ = destination;
        // A clash in newsletter, which is copied after regions and customers.
        await ExecuteAsync(destination.Database, "INSERT INTO newsletter VALUES ('person4@example.com', now())");

        var ex = await Assert.ThrowsAsync<OmegaException>(() => CopyAsync(source.Database, destination.Database));
        Assert.Equal(DataCopier.CopyFailedErrorId, ex.ErrorId);
        Assert.Contains("public.newsletter", ex.Message);
        Assert.Contains("-Truncate", ex.Message);
        Assert.Equal(0L, await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM customers"));

        await CopyAsync(source.Database, destination.Database, new DataCopyOptions { Truncate = true });
        Assert.Equal(6000L, await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM order_lines"));
    }

    [Fact]
    public async Task Copying_a_database_onto_itself_is_refused()
    {
        await using var source = await fixture.NewDatabaseAsync();
        var ex = await Assert.ThrowsAsync<OmegaException>(() => CopyAsync(source.Database, source.Database));
        Assert.Equal(DataCopier.SameDatabaseErrorId, ex.ErrorId);

        // The same database under another host name is still the same database.
        var byName = OmegaDb.Connections.DatabaseConnector.Create(source.Database.GetConnectionUri().Replace("@127.0.0.1:", "@localhost:", StringComparison.Ordinal));
        Assert.NotEqual(source.Database.Host, byName.Host);
        var aliased = await Assert.ThrowsAsync<OmegaException>(() => CopyAsync(source.Database, byName));
        Assert.Equal(DataCopier.SameDatabaseErrorId, aliased.ErrorId);
        Assert.Contains("two names", aliased.Message);
    }
}
