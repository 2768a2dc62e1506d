using Npgsql;

namespace OmegaDb.Schema;

/// <summary>
/// A cheap summary of the catalogs a schema snapshot is read from: for each, its row count
/// and the sum of its rows' xmin. Any DDL inserts, updates or deletes catalog rows, and a new
/// row version carries the newest transaction id, so the summary moves with every change
/// (freezing moves it too, which only costs a needless full read; index validity, which
/// CREATE INDEX CONCURRENTLY may change in place, is counted apart). It lets a snapshot of an
/// unchanged database be reused instead of read again.
/// </summary>
internal static class CatalogSignature
{
    private static readonly string[] Catalogs =
    [
        "pg_namespace", "pg_class", "pg_attribute", "pg_attrdef", "pg_constraint", "pg_index", "pg_trigger",
        "pg_description", "pg_type", "pg_enum", "pg_proc", "pg_aggregate", "pg_extension", "pg_sequence", "pg_rewrite",
        "pg_depend", "pg_inherits", "pg_partitioned_table", "pg_range", "pg_collation", "pg_opclass", "pg_am",
        "pg_foreign_table",
    ];

    // xidout/int8in rather than xmin::text::bigint: the same number without a text value per
    // row, which halves the cost of the scan of pg_attribute and pg_depend on a large schema.
    private static readonly string Sql = "SELECT " + string.Join(" || '|' || ", Catalogs.Select(c =>
        $"(SELECT count(*) || ':' || coalesce(sum(pg_catalog.int8in(pg_catalog.xidout(xmin))), 0) FROM pg_catalog.{c})")) +
        // Index validity may be flipped in place by CREATE INDEX CONCURRENTLY, without a new row version.
        " || '|' || (SELECT count(*) FILTER (WHERE indisvalid) || ':' || count(*) FILTER (WHERE indisready) FROM pg_catalog.pg_index)" +
        " || '|' || pg_catalog.current_setting('server_version_num')";

    public static async Task<string> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Sql, connection);
        return (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
