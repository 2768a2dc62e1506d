using Npgsql;

namespace OmegaDb.Sandboxes;

/// <summary>
/// pg_dump leaves out invalid indexes (the remains of a failed or cancelled CREATE INDEX
/// CONCURRENTLY), yet they exist on the source: a migration's CREATE INDEX IF NOT EXISTS is a
/// no-op there and would build an index in a sandbox without them, and the fingerprints would
/// differ. So they are recreated after the restore and marked invalid again.
/// </summary>
internal static class InvalidIndexes
{
    private const string ListSql = """
        SELECT pg_catalog.format('%I.%I', n.nspname, c.relname), pg_catalog.pg_get_indexdef(i.indexrelid)
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE NOT i.indisvalid AND c.relkind = 'i'
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
        ORDER BY 1
        """;

    public static async Task<IReadOnlyList<(string Name, string Definition)>> ListAsync(NpgsqlConnection source, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ListSql, source);
        var indexes = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            indexes.Add((reader.GetString(0), reader.GetString(1)));
        }

        return indexes;
    }

    /// <summary>
    /// Builds each index and marks it invalid (a catalog update, so superusers only). When the
    /// rows make the build fail (a unique index over duplicates), it is built the way it failed
    /// on the source, CONCURRENTLY, which leaves it behind invalid by itself.
    /// </summary>
    public static async Task RecreateAsync(OmegaDatabase sandbox, IReadOnlyList<(string Name, string Definition)> indexes, IProgress<string> progress, CancellationToken cancellationToken)
    {
        if (indexes.Count == 0)
        {
            return;
        }

        await using var connection = await Connections.DatabaseConnector.OpenAsync(sandbox, cancellationToken, pooling: false).ConfigureAwait(false);
        await using (var check = new NpgsqlCommand("SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user", connection))
        {
            if (!(bool)(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                progress.Report($"the source's invalid index(es) {string.Join(", ", indexes.Select(i => i.Name))} were not copied (pg_dump skips them, and only a superuser can mark a rebuilt index invalid)");
                return;
            }
        }

        progress.Report($"recreating the source's invalid index(es) {string.Join(", ", indexes.Select(i => i.Name))}");
        foreach (var (name, definition) in indexes)
        {
            try
            {
                await ExecuteAsync(connection, definition, cancellationToken).ConfigureAwait(false);
                await using var mark = new NpgsqlCommand("UPDATE pg_catalog.pg_index SET indisvalid = false WHERE indexrelid = @name::regclass", connection);
                mark.Parameters.AddWithValue("name", name);
                await mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException)
            {
                try
                {
                    await ExecuteAsync(connection, Concurrently(definition), cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException)
                {
                    // Failed as on the source: the invalid index is left behind, which is the point.
                }
            }
        }
    }

    /// <summary>pg_get_indexdef's "CREATE [UNIQUE] INDEX name ON ..." as CREATE ... INDEX CONCURRENTLY.</summary>
    internal static string Concurrently(string definition)
    {
        var at = definition.IndexOf(" INDEX ", StringComparison.Ordinal);
        return at < 0 ? definition : definition[..(at + 7)] + "CONCURRENTLY " + definition[(at + 7)..];
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
