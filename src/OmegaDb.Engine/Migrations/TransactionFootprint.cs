using Npgsql;

namespace OmegaDb.Migrations;

/// <summary>
/// What a migration did to the server inside its own transaction: the relation locks its
/// backend took and the relations whose storage it rewrote (same OID, new file node: a
/// table rewrite, a rebuilt index). Taken as a snapshot before the migration's statements and
/// compared after them, on the same connection and in the same transaction.
/// </summary>
internal sealed class TransactionFootprint
{
    private const string ExcludedNamespaces = "('pg_catalog', 'information_schema', 'pg_toast')";

    private readonly Dictionary<uint, uint> _fileNodes;
    private readonly HashSet<(uint Relation, string Mode)> _locks;
    private readonly string _historySchema;

    private TransactionFootprint(Dictionary<uint, uint> fileNodes, HashSet<(uint, string)> locks, string historySchema)
    {
        _fileNodes = fileNodes;
        _locks = locks;
        _historySchema = historySchema;
    }

    public static async Task<TransactionFootprint> CaptureAsync(NpgsqlConnection connection, HistoryTable history, CancellationToken cancellationToken)
    {
        var fileNodes = new Dictionary<uint, uint>();
        await using (var command = new NpgsqlCommand(FileNodeSql, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                fileNodes[reader.GetFieldValue<uint>(0)] = reader.GetFieldValue<uint>(1);
            }
        }

        var locks = new HashSet<(uint, string)>();
        foreach (var held in await ReadLocksAsync(connection, history.Schema, cancellationToken).ConfigureAwait(false))
        {
            locks.Add((held.Oid, held.Lock.Mode));
        }

        return new TransactionFootprint(fileNodes, locks, history.Schema);
    }

    /// <summary>
    /// Locks taken since the snapshot (the migration's own), strongest first per relation. In a
    /// dry run, where every migration shares one transaction, a lock an earlier migration
    /// already took cannot be seen again; a relation this migration rewrote still shows the
    /// lock it holds, since a rewrite cannot happen without it.
    /// </summary>
    public async Task<IReadOnlyList<OmegaLock>> NewLocksAsync(NpgsqlConnection connection, IReadOnlyList<string> rewritten,
        CancellationToken cancellationToken)
    {
        var held = await ReadLocksAsync(connection, _historySchema, cancellationToken).ConfigureAwait(false);
        var rewrittenSet = rewritten.ToHashSet(StringComparer.Ordinal);
        return held.Where(h => !_locks.Contains((h.Oid, h.Lock.Mode)) || rewrittenSet.Contains(h.Lock.Relation))
            .Select(h => h.Lock)
            .OrderBy(l => l.Relation, StringComparer.Ordinal)
            .ThenByDescending(l => Strength(l.Mode))
            .ToList();
    }

    /// <summary>Every relation this backend holds a lock on now: what its transaction may have changed.</summary>
    public static async Task<IReadOnlySet<string>> HeldRelationsAsync(NpgsqlConnection connection, HistoryTable history, CancellationToken cancellationToken)
    {
        var held = await ReadLocksAsync(connection, history.Schema, cancellationToken).ConfigureAwait(false);
        return held.Select(h => h.Lock.Relation).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Relations that existed at the snapshot and now have another file node.</summary>
    public async Task<IReadOnlyList<string>> RewrittenAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var rewritten = new List<string>();
        await using var command = new NpgsqlCommand(FileNodeSql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var oid = reader.GetFieldValue<uint>(0);
            if (_fileNodes.TryGetValue(oid, out var before) && before != reader.GetFieldValue<uint>(1))
            {
                rewritten.Add(reader.GetString(2));
            }
        }

        rewritten.Sort(StringComparer.Ordinal);
        return rewritten;
    }

    // Tables, indexes, materialized views and TOAST tables have storage; a TOAST table's rewrite
    // is reported under its table's name.
    private const string FileNodeSql = $"""
        SELECT c.oid, c.relfilenode, n.nspname || '.' || c.relname
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'i', 'm') AND c.relfilenode <> 0
           AND n.nspname NOT IN {ExcludedNamespaces} AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast%'
        """;

    private static async Task<List<(uint Oid, OmegaLock Lock)>> ReadLocksAsync(NpgsqlConnection connection, string historySchema,
        CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT l.relation, n.nspname || '.' || c.relname, c.relkind::text, l.mode
              FROM pg_locks l
              JOIN pg_class c ON c.oid = l.relation
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted
               AND n.nspname NOT IN {ExcludedNamespaces} AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname <> @history
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("history", historySchema);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var locks = new List<(uint, OmegaLock)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            locks.Add((reader.GetFieldValue<uint>(0), new OmegaLock
            {
                Relation = reader.GetString(1),
                RelationKind = RelationKind(reader.GetString(2)),
                Mode = reader.GetString(3),
            }));
        }

        return locks;
    }

    private static string RelationKind(string relkind) => relkind switch
    {
        "r" => "Table",
        "p" => "PartitionedTable",
        "i" or "I" => "Index",
        "S" => "Sequence",
        "v" => "View",
        "m" => "MaterializedView",
        "f" => "ForeignTable",
        "c" => "CompositeType",
        _ => relkind,
    };

    private static int Strength(string mode) => mode switch
    {
        "AccessShareLock" => 1,
        "RowShareLock" => 2,
        "RowExclusiveLock" => 3,
        "ShareUpdateExclusiveLock" => 4,
        "ShareLock" => 5,
        "ShareRowExclusiveLock" => 6,
        "ExclusiveLock" => 7,
        "AccessExclusiveLock" => 8,
        _ => 0,
    };
}
