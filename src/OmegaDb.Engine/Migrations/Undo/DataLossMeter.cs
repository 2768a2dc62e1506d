using System.Globalization;
using System.Text;
using Npgsql;

namespace OmegaDb.Migrations;

/// <summary>
/// Counts, in the database, what one statement of a down section destroys: the rows of a
/// dropped table (and of the partitions or child tables that go with it), the non-null values
/// of a dropped column, the rows a TRUNCATE empties (with CASCADE, also of the tables that
/// reference them), the rows a DELETE's condition selects. It runs on the session that is
/// about to run the statement, so earlier statements of the same transaction are seen. Each
/// count runs under a savepoint: a count that fails leaves the transaction usable and is
/// reported as not counted rather than as nothing lost.
/// </summary>
internal static class DataLossMeter
{
    private const string Savepoint = "omegadb_measure";

    public static async Task<IReadOnlyList<OmegaDataLoss>> MeasureAsync(NpgsqlConnection connection, DataLossTarget target, string migration,
        CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, $"SAVEPOINT {Savepoint}", cancellationToken).ConfigureAwait(false);
        try
        {
            var losses = target switch
            {
                DroppedTables dropped => await DroppedTablesAsync(connection, dropped, migration, cancellationToken).ConfigureAwait(false),
                DroppedColumns columns => await DroppedColumnsAsync(connection, columns, migration, cancellationToken).ConfigureAwait(false),
                TruncatedTables truncated => await TruncatedAsync(connection, truncated, migration, cancellationToken).ConfigureAwait(false),
                DeletedRows deleted => await DeletedAsync(connection, deleted, migration, cancellationToken).ConfigureAwait(false),
                _ => [],
            };
            await ExecuteAsync(connection, $"RELEASE SAVEPOINT {Savepoint}", cancellationToken).ConfigureAwait(false);
            return losses;
        }
        catch (PostgresException pg)
        {
            await ExecuteAsync(connection, $"ROLLBACK TO SAVEPOINT {Savepoint}", cancellationToken).ConfigureAwait(false);
            var what = Verb(target);
            return
            [
                new OmegaDataLoss
                {
                    ObjectType = target is DroppedColumns ? "Column" : target is DroppedTables ? "Table" : "Rows",
                    Name = NameOf(target),
                    Counted = false,
                    Statement = target.Statement.Text.Trim(),
                    Description = $"{migration}: {what} {NameOf(target)} destroys data that could not be counted ({pg.SqlState}: {SecretScrubber.Scrub(pg.MessageText)})",
                },
            ];
        }
    }

    private static async Task<IReadOnlyList<OmegaDataLoss>> DroppedTablesAsync(NpgsqlConnection connection, DroppedTables target, string migration,
        CancellationToken cancellationToken)
    {
        var losses = new List<OmegaDataLoss>();
        var cascade = target.Cascade ? " CASCADE" : string.Empty;
        foreach (var table in target.Tables)
        {
            var tree = await TablesAsync(connection, [table], referencing: false, cancellationToken).ConfigureAwait(false);
            if (tree.Count == 0)
            {
                losses.Add(Missing("Table", table, target.Statement, $"{migration}: DROP TABLE {table}: it does not exist, nothing lost"));
                continue;
            }

            var counts = await CountRowsAsync(connection, tree, cancellationToken).ConfigureAwait(false);
            var (root, rootCount) = (tree[0], counts[0]);
            losses.Add(Loss("Table", root.Name, rootCount, target.Statement, $"{migration}: DROP TABLE {root.Name}{cascade} destroys {Rows(rootCount)}"));
            for (var i = 1; i < tree.Count; i++)
            {
                losses.Add(Loss("Table", tree[i].Name, counts[i], target.Statement,
                    $"{migration}: DROP TABLE {root.Name}{cascade} also drops {tree[i].Name} (a partition or child table of it): {Rows(counts[i])}"));
            }
        }

        return losses;
    }

    private static async Task<IReadOnlyList<OmegaDataLoss>> DroppedColumnsAsync(NpgsqlConnection connection, DroppedColumns target, string migration,
        CancellationToken cancellationToken)
    {
        await using var lookup = new NpgsqlCommand("""
            SELECT format('%I.%I', n.nspname, c.relname), a.attname
              FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attname = ANY(@columns)
             WHERE c.oid = to_regclass(@table)
            """, connection);
        lookup.Parameters.AddWithValue("table", target.Table.ToSql());
        lookup.Parameters.AddWithValue("columns", target.Columns.ToArray());
        string? table = null;
        var present = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await lookup.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                table = reader.GetString(0);
                if (!reader.IsDBNull(1))
                {
                    present.Add(reader.GetString(1));
                }
            }
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        if (table is not null && present.Count > 0)
        {
            var columns = target.Columns.Where(present.Contains).Distinct().ToList();
            // count(column) counts non-null values; without ONLY, the values in partitions and child tables lose the column too.
            var sql = $"SELECT {string.Join(", ", columns.Select(c => $"count({Quote(c)})"))} FROM {table}";
            await using var count = new NpgsqlCommand(sql, connection);
            await using var reader = await count.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < columns.Count; i++)
            {
                counts[columns[i]] = reader.GetInt64(i);
            }
        }

        var losses = new List<OmegaDataLoss>();
        foreach (var column in target.Columns)
        {
            var name = $"{table ?? target.Table.ToString()}.{column}";
            losses.Add(counts.TryGetValue(column, out var values)
                ? Loss("Column", name, values, target.Statement,
                    $"{migration}: DROP COLUMN {name} destroys {values.ToString("N0", CultureInfo.InvariantCulture)} non-null {(values == 1 ? "value" : "values")}")
                : Missing("Column", new SqlObjectName(null, name), target.Statement, $"{migration}: DROP COLUMN {name}: it does not exist, nothing lost"));
        }

        return losses;
    }

    private static async Task<IReadOnlyList<OmegaDataLoss>> TruncatedAsync(NpgsqlConnection connection, TruncatedTables target, string migration,
        CancellationToken cancellationToken)
    {
        var tables = await TablesAsync(connection, target.Tables, referencing: target.Cascade, cancellationToken).ConfigureAwait(false);
        if (tables.Count == 0)
        {
            return target.Tables.Select(t => Missing("Rows", t, target.Statement, $"{migration}: TRUNCATE {t}: it does not exist, nothing lost")).ToList();
        }

        var counts = await CountRowsAsync(connection, tables, cancellationToken).ConfigureAwait(false);
        var named = tables.Where(t => t.Named).Select(t => t.Name).ToList();
        var cascade = target.Cascade ? " CASCADE" : string.Empty;
        return tables.Select((t, i) => Loss("Rows", t.Name, counts[i], target.Statement, t.Named
                ? $"{migration}: TRUNCATE {t.Name}{cascade} destroys {Rows(counts[i])}"
                : $"{migration}: TRUNCATE {string.Join(", ", named)}{cascade} also empties {t.Name} ({(target.Cascade ? "it references a truncated table, or is a partition or child of one" : "a partition or child table")}): {Rows(counts[i])}"))
            .ToList();
    }

    private static async Task<IReadOnlyList<OmegaDataLoss>> DeletedAsync(NpgsqlConnection connection, DeletedRows target, string migration,
        CancellationToken cancellationToken)
    {
        var resolved = await TablesAsync(connection, [target.Table], referencing: false, cancellationToken).ConfigureAwait(false);
        if (resolved.Count == 0)
        {
            return [Missing("Rows", target.Table, target.Statement, $"{migration}: DELETE FROM {target.Table}: it does not exist, nothing lost")];
        }

        // The DELETE's own clauses, in a count: USING joins become an EXISTS so that a row that
        // matches several joined rows is counted once, as the DELETE removes it once.
        var sql = new StringBuilder();
        if (target.With is not null)
        {
            sql.Append("WITH ").Append(target.With).Append('\n');
        }

        sql.Append("SELECT count(*) FROM ").Append(target.Only ? "ONLY " : string.Empty).Append(target.Table.ToSql());
        if (target.Alias is not null)
        {
            sql.Append(" AS ").Append(Quote(target.Alias));
        }

        if (target.Using is not null)
        {
            sql.Append("\nWHERE EXISTS (SELECT FROM ").Append(target.Using);
            if (target.Where is not null)
            {
                sql.Append("\nWHERE ").Append(target.Where);
            }

            sql.Append("\n)");
        }
        else if (target.Where is not null)
        {
            sql.Append("\nWHERE ").Append(target.Where);
        }

        await using var count = new NpgsqlCommand(sql.ToString(), connection);
        var rows = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        var name = resolved[0].Name;
        var condition = target.Where is null && target.Using is null ? " (no WHERE: every row)" : string.Empty;
        return [Loss("Rows", name, rows, target.Statement, $"{migration}: DELETE FROM {name}{condition} destroys {Rows(rows)}")];
    }

    /// <summary>
    /// The tables named (first, in order), their partitions and child tables, and with
    /// <paramref name="referencing"/> every table whose foreign key points at one of them,
    /// recursively: what a TRUNCATE ... CASCADE empties. Names that resolve to nothing are left out.
    /// </summary>
    private static async Task<IReadOnlyList<ResolvedTable>> TablesAsync(NpgsqlConnection connection, IReadOnlyList<SqlObjectName> names, bool referencing,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            WITH RECURSIVE named AS (
                SELECT to_regclass(name) AS oid, ord FROM unnest(@names::text[]) WITH ORDINALITY AS u(name, ord)
            ), edges(parent, child) AS (
                SELECT inhparent, inhrelid FROM pg_inherits
                UNION ALL
                SELECT confrelid, conrelid FROM pg_constraint WHERE contype = 'f' AND @referencing AND conrelid <> confrelid
            ), hit(oid) AS (
                SELECT oid FROM named WHERE oid IS NOT NULL
                UNION
                SELECT e.child FROM edges e JOIN hit h ON e.parent = h.oid
            )
            SELECT format('%I.%I', n.nspname, c.relname), (SELECT min(ord) FROM named WHERE named.oid = c.oid)
              FROM hit
              JOIN pg_class c ON c.oid = hit.oid
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p')
             ORDER BY 2 NULLS LAST, 1
            """, connection);
        command.Parameters.AddWithValue("names", names.Select(n => n.ToSql()).ToArray());
        command.Parameters.AddWithValue("referencing", referencing);
        var tables = new List<ResolvedTable>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            tables.Add(new ResolvedTable(reader.GetString(0), !reader.IsDBNull(1)));
        }

        return tables;
    }

    /// <summary>Each table's own rows (ONLY: a parent's count would include its children, which are listed on their own), in one round trip.</summary>
    private static async Task<IReadOnlyList<long>> CountRowsAsync(NpgsqlConnection connection, IReadOnlyList<ResolvedTable> tables, CancellationToken cancellationToken)
    {
        var sql = "SELECT " + string.Join(", ", tables.Select(t => $"(SELECT count(*) FROM ONLY {t.Name})"));
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return Enumerable.Range(0, tables.Count).Select(reader.GetInt64).ToList();
    }

    private static OmegaDataLoss Loss(string type, string name, long count, SqlStatement statement, string description) => new()
    {
        ObjectType = type, Name = name, Count = count, Statement = statement.Text.Trim(), Description = description,
    };

    private static OmegaDataLoss Missing(string type, SqlObjectName name, SqlStatement statement, string description) =>
        Loss(type, name.ToString(), 0, statement, description);

    private static string Rows(long count) => $"{count.ToString("N0", CultureInfo.InvariantCulture)} {(count == 1 ? "row" : "rows")}";

    private static string Verb(DataLossTarget target) => target switch
    {
        DroppedTables => "DROP TABLE",
        DroppedColumns => "DROP COLUMN",
        TruncatedTables => "TRUNCATE",
        _ => "DELETE FROM",
    };

    private static string NameOf(DataLossTarget target) => target switch
    {
        DroppedTables t => string.Join(", ", t.Tables),
        DroppedColumns c => string.Join(", ", c.Columns.Select(col => $"{c.Table}.{col}")),
        TruncatedTables t => string.Join(", ", t.Tables),
        DeletedRows d => d.Table.ToString(),
        _ => string.Empty,
    };

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <param name="Named">Named in the statement, rather than reached through inheritance or a foreign key.</param>
    private sealed record ResolvedTable(string Name, bool Named);
}
