using Npgsql;
using OmegaDb.Connections;
using OmegaDb.Schema;

namespace OmegaDb.Analysis;

/// <summary>
/// Reads pg_stat_user_indexes: how often each index was scanned since the statistics were last
/// reset, and how large it is. Indexes that enforce something (unique, primary key, exclusion)
/// are never called unused: dropping them changes behaviour, not only speed.
/// </summary>
public static class IndexUsageReader
{
    public static async Task<IReadOnlyList<OmegaIndexUsage>> ReadAsync(OmegaDatabase database, IReadOnlyList<string> tablePatterns,
        CancellationToken cancellationToken)
    {
        var filter = NamePattern.ParseAll(tablePatterns);
        await using var connection = await DatabaseConnector.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        // last_idx_scan arrived in PostgreSQL 16.
        var lastScan = connection.PostgreSqlVersion.Major >= 16 ? "s.last_idx_scan" : "NULL::timestamptz";
        var sql = $"""
            SELECT s.schemaname, s.relname, s.indexrelname, s.idx_scan, s.idx_tup_read, s.idx_tup_fetch,
                   pg_relation_size(s.indexrelid), i.indisunique, i.indisprimary, c.conname, {lastScan},
                   pg_get_indexdef(s.indexrelid)
              FROM pg_stat_user_indexes s
              JOIN pg_index i ON i.indexrelid = s.indexrelid
              LEFT JOIN pg_constraint c ON c.conindid = s.indexrelid AND c.conrelid = s.relid AND c.contype IN ('p', 'u', 'x')
             WHERE s.schemaname <> ALL (@excluded)
               AND NOT EXISTS (SELECT 1 FROM pg_depend d
                                WHERE d.classid = 'pg_class'::regclass AND d.objid = s.relid AND d.deptype = 'e')
             ORDER BY s.schemaname, s.relname, s.indexrelname
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("excluded", new[] { SchemaReadOptions.HistorySchema });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var usages = new List<OmegaIndexUsage>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var schema = reader.GetString(0);
            var table = reader.GetString(1);
            if (filter.Count > 0 && !filter.Any(p => p.IsMatch(table) || p.IsMatch(schema + "." + table)))
            {
                continue;
            }

            var scans = reader.GetInt64(3);
            var unique = reader.GetBoolean(7);
            var constraint = reader.IsDBNull(9) ? null : reader.GetString(9);
            usages.Add(new OmegaIndexUsage
            {
                Database = database,
                Schema = schema,
                Table = table,
                Index = reader.GetString(2),
                Scans = scans,
                TuplesRead = reader.GetInt64(4),
                TuplesFetched = reader.GetInt64(5),
                SizeBytes = reader.GetInt64(6),
                IsUnique = unique,
                IsPrimary = reader.GetBoolean(8),
                Constraint = constraint,
                Unused = scans == 0 && !unique && constraint is null,
                LastScan = reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
                Definition = reader.GetString(11),
            });
        }

        return usages;
    }
}
