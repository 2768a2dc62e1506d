using Npgsql;

namespace OmegaDb.Data;

/// <summary>
/// Picks the rows of a sampled copy on the source, inside its REPEATABLE READ transaction so
/// that every read sees one snapshot: per restricted table, a temporary table of row
/// addresses (tableoid, ctid; stable within the snapshot, and present even on tables without
/// a primary key), seeded with the first rows through the filter and the limit, then grown
/// with the parent rows that any picked row references, pass after pass, until a pass adds
/// nothing. That fixed point covers references across any number of levels, self-references
/// and cycles.
/// </summary>
internal sealed class RowSampler
{
    public const string ReadOnlySourceErrorId = "OmegaDb.ReadOnlySource";

    private readonly Dictionary<uint, string> _keyTables = new();

    private RowSampler()
    {
    }

    /// <summary>The rows to copy of a table: its key table, or null when every row is copied.</summary>
    public string? KeyTable(TableCopyPlan table) => _keyTables.GetValueOrDefault(table.Source.Oid);

    /// <summary>The source's SELECT for a table, limited to the picked rows when it is restricted.</summary>
    public string Select(TableCopyPlan table) => KeyTable(table) is { } keys
        ? $"SELECT {table.SelectList} FROM {table.Source.FromSql} WHERE (tableoid, ctid) IN (SELECT r, t FROM {keys})"
        : $"SELECT {table.SelectList} FROM {table.Source.FromSql}";

    /// <summary>Creates the key tables (in the transaction, dropped at its end), then makes the transaction read-only.</summary>
    public static async Task<RowSampler> PrepareAsync(NpgsqlConnection source, DataCopyPlan plan, CancellationToken cancellationToken)
    {
        var sampler = new RowSampler();
        var ddl = new List<string>();
        var number = 0;
        // A table that is not restricted is copied whole, so it needs no key table: the
        // closure can add nothing to it.
        foreach (var table in plan.Tables.Where(t => t.Restricted))
        {
            var name = $"pg_temp.omega_keys_{++number}";
            sampler._keyTables[table.Source.Oid] = name;
            ddl.Add($"CREATE TEMPORARY TABLE {name} (r oid NOT NULL, t tid NOT NULL, PRIMARY KEY (r, t)) ON COMMIT DROP");
        }

        // Read-only from here on: a user's -Where runs in this transaction, and must not be
        // able to change the source. Inserting into temporary tables stays allowed.
        ddl.Add("SET TRANSACTION READ ONLY");
        try
        {
            await ExecuteAsync(source, string.Join(";\n", ddl), cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == "25006")
        {
            throw new OmegaException(ReadOnlySourceErrorId, OmegaErrorCategory.InvalidOperation,
                $"Picking rows (-Limit, -Where) needs temporary tables on the source, and its sessions are read-only ({ex.MessageText}): a hot standby, or default_transaction_read_only. Sample from the primary, or copy whole tables from this server.",
                null, ex);
        }

        return sampler;
    }

    /// <summary>Seeds the key tables through each table's filter and the limit, then closes them over the foreign keys.</summary>
    public async Task SampleAsync(NpgsqlConnection source, DataCopyPlan plan, long? limit, IProgress<DataCopyProgress> progress, CancellationToken cancellationToken)
    {
        long seeded = 0;
        foreach (var table in plan.Tables)
        {
            if (KeyTable(table) is not { } keys)
            {
                continue;
            }

            var where = table.Where is null ? string.Empty : $" WHERE ({table.Where})";
            var take = limit is null ? string.Empty : $" LIMIT {limit.Value}";
            try
            {
                seeded += await ExecuteAsync(source, $"INSERT INTO {keys} (r, t) SELECT tableoid, ctid FROM {table.Source.FromSql}{where}{take}", cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (table.Where is not null)
            {
                // The filter passed EXPLAIN, so it failed while running: a write (the source
                // is read-only here), a division by zero, a cast of a bad value.
                throw new OmegaException(DataCopyPlanner.InvalidWhereErrorId, OmegaErrorCategory.InvalidArgument,
                    $"The filter \"{table.Where}\" failed on {table.FullName}: {ex.MessageText}. Nothing was copied; fix the predicate.", table.FullName, ex);
            }
        }

        progress.Report(new DataCopyProgress(DataCopyStage.Sampling, $"Picked {seeded} rows; adding the parent rows they reference"));
        var byOid = plan.Tables.ToDictionary(t => t.Source.Oid);
        // Children before parents, so one pass carries references down most chains.
        var edges = plan.ForeignKeys
            .Where(e => _keyTables.ContainsKey(e.Parent))
            .OrderByDescending(e => Position(plan, e.Child))
            .ToArray();
        for (var pass = 1; ; pass++)
        {
            long added = 0;
            foreach (var edge in edges)
            {
                var child = byOid[edge.Child];
                var parent = byOid[edge.Parent];
                var childRows = KeyTable(child) is { } childKeys
                    ? $"SELECT {Columns("c", edge.ChildColumns)} FROM {child.Source.FromSql} c WHERE (c.tableoid, c.ctid) IN (SELECT r, t FROM {childKeys})"
                    : $"SELECT {Columns("c", edge.ChildColumns)} FROM {child.Source.FromSql} c";
                added += await ExecuteAsync(source,
                    $"INSERT INTO {_keyTables[edge.Parent]} (r, t) SELECT p.tableoid, p.ctid FROM {parent.Source.FromSql} p " +
                    $"WHERE ({Columns("p", edge.ParentColumns)}) IN ({childRows}) ON CONFLICT DO NOTHING", cancellationToken).ConfigureAwait(false);
            }

            if (added == 0)
            {
                break;
            }

            progress.Report(new DataCopyProgress(DataCopyStage.Sampling, $"Pass {pass} added {added} referenced parent rows"));
        }
    }

    private static int Position(DataCopyPlan plan, uint oid)
    {
        var index = 0;
        foreach (var table in plan.Tables)
        {
            if (table.Source.Oid == oid)
            {
                return index;
            }

            index++;
        }

        return -1;
    }

    private static string Columns(string alias, IReadOnlyList<string> names) => string.Join(", ", names.Select(n => $"{alias}.{Sql.Quote(n)}"));

    private static async Task<long> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
