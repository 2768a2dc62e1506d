using System.Collections.Concurrent;
using Npgsql;

namespace OmegaDb.Migrations;

/// <summary>
/// What a migration did to the server inside its own transaction: the relation locks its
/// backend took and the relations whose storage it rewrote (same OID, new file node: a
/// table rewrite, a rebuilt index). Lives for a whole run on the run's connection: the file
/// node of every relation is read once at the start (<see cref="CaptureAsync"/>), and after
/// each migration's statements one query (<see cref="MeasureAsync"/>) reads the locks its
/// backend holds with the file nodes of those relations and their indexes. A rewrite cannot
/// happen without a lock, so those are the only file nodes that can have changed; reading
/// every relation twice per migration made a run of many small migrations slow on a large
/// schema. A relation rewritten by another session during the run (VACUUM FULL) that a later
/// migration then locks would be reported as rewritten by it: the price of not scanning
/// every relation before each migration.
/// </summary>
internal sealed class TransactionFootprint
{
    private const string ExcludedNamespaces = "('pg_catalog', 'information_schema', 'pg_toast')";

    private readonly Dictionary<uint, uint> _fileNodes;
    private readonly string _historySchema;
    private HashSet<(uint Relation, string Mode)> _locks;

    private TransactionFootprint(Dictionary<uint, uint> fileNodes, HashSet<(uint, string)> locks, string historySchema)
    {
        _fileNodes = fileNodes;
        _locks = locks;
        _historySchema = historySchema;
    }

    // The file nodes of the last capture of each database, with the catalog signature they go
    // with: a rewrite updates pg_class and so moves the signature, and while it stands still
    // (a dry run repeated on an unchanged sandbox) the scan of every relation is not repeated.
    private static readonly ConcurrentDictionary<string, (string Signature, Dictionary<uint, uint> FileNodes)> Known = new(StringComparer.Ordinal);

    /// <param name="catalog">
    /// The database and the <see cref="Schema.CatalogSignature"/> read before this capture; when
    /// the last capture of that database was made under the same signature, its file nodes are used.
    /// </param>
    public static async Task<TransactionFootprint> CaptureAsync(NpgsqlConnection connection, HistoryTable history, CancellationToken cancellationToken,
        (string Database, string Signature)? catalog = null)
    {
        Dictionary<uint, uint> fileNodes;
        if (catalog is { } known && Known.TryGetValue(known.Database, out var entry) && entry.Signature == known.Signature)
        {
            fileNodes = new Dictionary<uint, uint>(entry.FileNodes);
        }
        else
        {
            fileNodes = await ReadFileNodesAsync(connection, cancellationToken).ConfigureAwait(false);
            if (catalog is { } read)
            {
                if (Known.Count >= 32)
                {
                    Known.Clear();
                }

                Known[read.Database] = (read.Signature, new Dictionary<uint, uint>(fileNodes));
            }
        }

        // Locks: a migration's own transaction starts with none (ForgetHeldLocks); a dry run
        // remembers them before each migration (RememberHeldLocksAsync).
        return new TransactionFootprint(fileNodes, [], history.Schema);
    }

    /// <summary>
    /// A migration's own transaction starts holding no relation locks, so every lock held after
    /// its statements is its own.
    /// </summary>
    public void ForgetHeldLocks() => _locks = [];

    /// <summary>
    /// In a dry run every migration shares one transaction: the locks held before the next
    /// migration's statements (the earlier migrations', and those the schema reads took) are
    /// not that migration's.
    /// </summary>
    public async Task RememberHeldLocksAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var locks = new HashSet<(uint, string)>();
        foreach (var held in await ReadLocksAsync(connection, _historySchema, cancellationToken).ConfigureAwait(false))
        {
            locks.Add((held.Oid, held.Lock.Mode));
        }

        _locks = locks;
    }

    /// <summary>Locks and rewrites since the statements started, in one round trip; <see cref="Keep"/> it once it is committed.</summary>
    public async Task<FootprintMeasurement> MeasureAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var held = new List<(uint Oid, OmegaLock Lock)>();
        var fileNodes = new Dictionary<uint, (uint FileNode, string Name)>();
        await using (var command = new NpgsqlCommand(MeasureSql, connection))
        {
            command.Parameters.AddWithValue("history", _historySchema);
            await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var oid = reader.GetFieldValue<uint>(0);
                var name = reader.GetString(1);
                var relkind = reader.GetString(2);
                if (!reader.IsDBNull(3))
                {
                    held.Add((oid, new OmegaLock { Relation = name, RelationKind = RelationKind(relkind), Mode = reader.GetString(3) }));
                }

                if (relkind is "r" or "i" or "m" && reader.GetFieldValue<uint>(4) is var fileNode and not 0)
                {
                    fileNodes[oid] = (fileNode, name);
                }
            }
        }

        var rewritten = fileNodes
            .Where(f => _fileNodes.TryGetValue(f.Key, out var before) && before != f.Value.FileNode)
            .Select(f => f.Value.Name)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var rewrittenSet = rewritten.ToHashSet(StringComparer.Ordinal);
        var locks = held.Where(h => !_locks.Contains((h.Oid, h.Lock.Mode)) || rewrittenSet.Contains(h.Lock.Relation))
            .Select(h => h.Lock)
            .OrderBy(l => l.Relation, StringComparer.Ordinal)
            .ThenByDescending(l => Strength(l.Mode))
            .ToList();
        return new FootprintMeasurement(
            locks,
            rewritten,
            held.Select(h => h.Lock.Relation).ToHashSet(StringComparer.Ordinal),
            held.Select(h => h.Oid).Distinct().ToArray(),
            fileNodes.ToDictionary(f => f.Key, f => f.Value.FileNode));
    }

    /// <summary>The measured file nodes become the ones later migrations are compared with.</summary>
    public void Keep(FootprintMeasurement measurement)
    {
        foreach (var (oid, fileNode) in measurement.FileNodes)
        {
            _fileNodes[oid] = fileNode;
        }
    }

    /// <summary>Reads every file node again: after a migration that ran outside a transaction, whose locks are gone.</summary>
    public async Task RefreshAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        _fileNodes.Clear();
        foreach (var (oid, fileNode) in await ReadFileNodesAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            _fileNodes[oid] = fileNode;
        }
    }

    private static async Task<Dictionary<uint, uint>> ReadFileNodesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var fileNodes = new Dictionary<uint, uint>();
        await using var command = new NpgsqlCommand(AllFileNodesSql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            fileNodes[reader.GetFieldValue<uint>(0)] = reader.GetFieldValue<uint>(1);
        }

        return fileNodes;
    }

    // The relations this backend holds a lock on, and the indexes of those (a table rewrite
    // rebuilds them under the table's lock); a row per lock mode, and one without a mode for
    // an index that is not locked itself.
    private const string MeasureSql = $"""
        WITH held AS (
            SELECT l.relation, l.mode FROM pg_locks l
             WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted),
        relations AS (
            SELECT relation AS oid FROM held
            UNION
            SELECT i.indexrelid FROM pg_index i JOIN held h ON h.relation = i.indrelid)
        SELECT c.oid, n.nspname || '.' || c.relname, c.relkind::text, h.mode, c.relfilenode
          FROM relations r
          JOIN pg_class c ON c.oid = r.oid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          LEFT JOIN held h ON h.relation = c.oid
         WHERE n.nspname NOT IN {ExcludedNamespaces} AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
           AND n.nspname <> @history
        """;

    /// <summary>Relations that existed at the capture and now have another file node, by reading every file node again: for a migration run outside a transaction, whose locks are gone.</summary>
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

    // Every relation with storage, system ones included: only those a migration locks are ever
    // compared, and leaving out the join and the names keeps this one scan of pg_class cheap
    // on a schema of thousands of relations.
    private const string AllFileNodesSql = "SELECT oid, relfilenode FROM pg_catalog.pg_class WHERE relfilenode <> 0";

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

/// <summary>What <see cref="TransactionFootprint.MeasureAsync"/> found after a migration's statements.</summary>
internal sealed record FootprintMeasurement(
    IReadOnlyList<OmegaLock> Locks,
    IReadOnlyList<string> Rewritten,
    IReadOnlySet<string> HeldRelations,
    uint[] HeldOids,
    IReadOnlyDictionary<uint, uint> FileNodes);
