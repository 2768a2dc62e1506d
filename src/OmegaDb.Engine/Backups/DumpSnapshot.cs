using System.Data;
using Npgsql;
using OmegaDb.Connections;
using OmegaDb.Schema;

namespace OmegaDb.Backups;

/// <summary>
/// A REPEATABLE READ transaction whose snapshot is exported for <c>pg_dump --snapshot</c>, held
/// open until the dump ends. The manifest's schema fingerprint and row counts are read in the
/// same snapshot, so they describe exactly what was dumped, even while the database changes.
/// </summary>
public sealed class DumpSnapshot : IAsyncDisposable
{
    private readonly OmegaDatabase _database;
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private int _disposed;

    private DumpSnapshot(OmegaDatabase database, NpgsqlConnection connection, NpgsqlTransaction transaction, string id, string serverVersion)
    {
        _database = database;
        _connection = connection;
        _transaction = transaction;
        Id = id;
        ServerVersion = serverVersion;
    }

    /// <summary>The exported snapshot's name, for <c>--snapshot=</c>.</summary>
    public string Id { get; }

    /// <summary>server_version, e.g. "15.8 (Debian 15.8-1.pgdg120+1)".</summary>
    public string ServerVersion { get; }

    public static async Task<DumpSnapshot> ExportAsync(OmegaDatabase database, CancellationToken cancellationToken)
    {
        // Pooled, like the helper below: a backend that served this session before has the
        // tables' cache entries built already. The transaction is rolled back before the
        // connection goes back to the pool.
        var connection = await DatabaseConnector.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SET TRANSACTION READ ONLY; SELECT pg_catalog.pg_export_snapshot(), pg_catalog.current_setting('server_version')", connection, transaction);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new DumpSnapshot(database, connection, transaction, reader.GetString(0), reader.GetString(1));
        }
        catch (Exception ex) when (ex is NpgsqlException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new OmegaException("OmegaDb.BackupSnapshotFailed", OmegaErrorCategory.ConnectionError,
                $"Could not take a snapshot of {database.Name} to dump: {SecretScrubber.Scrub(ex.Message)} The role needs to read the database; a hot standby needs PostgreSQL 10 or later.", database, ex);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The schema (on the snapshot's own connection) and, at the same time, the row counts (on a
    /// second connection that imports the snapshot). Without a second connection (a connection
    /// limit, a pooler) the counts follow on the first.
    /// </summary>
    public async Task<(OmegaSchema Schema, IReadOnlyDictionary<string, long> RowCounts, IReadOnlyList<string> Roles)> DescribeAsync(bool countRows, CancellationToken cancellationToken)
    {
        if (!countRows)
        {
            var schemaOnly = await ReadSchemaAsync(cancellationToken).ConfigureAwait(false);
            return (schemaOnly, new Dictionary<string, long>(), await ReadRolesAsync(cancellationToken).ConfigureAwait(false));
        }

        NpgsqlConnection? helper = null;
        try
        {
            helper = await DatabaseConnector.OpenAsync(_database, cancellationToken).ConfigureAwait(false);
        }
        catch (OmegaException)
        {
        }

        if (helper is null)
        {
            var schema = await ReadSchemaAsync(cancellationToken).ConfigureAwait(false);
            var roles = await ReadRolesAsync(cancellationToken).ConfigureAwait(false);
            return (schema, await RowCounter.CountAsync(_connection, cancellationToken).ConfigureAwait(false), roles);
        }

        await using (helper)
        {
            var schemaTask = ReadSchemaAndRolesAsync(cancellationToken);
            var countTask = CountInSnapshotAsync(helper, cancellationToken);
            try
            {
                await Task.WhenAll(schemaTask, countTask).ConfigureAwait(false);
            }
            catch when (schemaTask.IsFaulted)
            {
                // The schema's error is the one that explains the failure best.
                await schemaTask.ConfigureAwait(false);
                throw;
            }

            return (schemaTask.Result.Schema, countTask.Result, schemaTask.Result.Roles);
        }
    }

    /// <summary>
    /// The schema as this snapshot sees it. The catalog signature is taken in the same snapshot,
    /// so a snapshot cached under that signature (by an earlier Get-OmegaSchema, migration or
    /// backup of an unchanged database in this session) is exactly the one a read would give,
    /// and a 1000-table read is not repeated while pg_dump competes for the same CPU.
    /// </summary>
    private Task<OmegaSchema> ReadSchemaAsync(CancellationToken cancellationToken) =>
        SchemaSnapshotCache.ReadAsync(_connection, _database, SchemaReadOptions.Default, cancellationToken);

    private async Task<(OmegaSchema Schema, IReadOnlyList<string> Roles)> ReadSchemaAndRolesAsync(CancellationToken cancellationToken)
    {
        var schema = await ReadSchemaAsync(cancellationToken).ConfigureAwait(false);
        return (schema, await ReadRolesAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Roles that own something in the database or hold a privilege on it: what a Plain dump names.</summary>
    private async Task<IReadOnlyList<string>> ReadRolesAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            WITH refs(oid) AS (
                SELECT relowner FROM pg_catalog.pg_class
                UNION SELECT nspowner FROM pg_catalog.pg_namespace
                UNION SELECT proowner FROM pg_catalog.pg_proc
                UNION SELECT typowner FROM pg_catalog.pg_type
                UNION SELECT defaclrole FROM pg_catalog.pg_default_acl
                UNION SELECT (pg_catalog.aclexplode(relacl)).grantee FROM pg_catalog.pg_class WHERE relacl IS NOT NULL
                UNION SELECT (pg_catalog.aclexplode(attacl)).grantee FROM pg_catalog.pg_attribute WHERE attacl IS NOT NULL
                UNION SELECT (pg_catalog.aclexplode(nspacl)).grantee FROM pg_catalog.pg_namespace WHERE nspacl IS NOT NULL
                UNION SELECT (pg_catalog.aclexplode(proacl)).grantee FROM pg_catalog.pg_proc WHERE proacl IS NOT NULL
                UNION SELECT (pg_catalog.aclexplode(typacl)).grantee FROM pg_catalog.pg_type WHERE typacl IS NOT NULL
                UNION SELECT (pg_catalog.aclexplode(defaclacl)).grantee FROM pg_catalog.pg_default_acl
            )
            SELECT r.rolname FROM pg_catalog.pg_roles r JOIN refs ON refs.oid = r.oid WHERE r.rolname !~ '^pg_' ORDER BY 1
            """;
        await using var command = new NpgsqlCommand(sql, _connection, _transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var roles = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            roles.Add(reader.GetString(0));
        }

        return roles;
    }

    private async Task<IReadOnlyDictionary<string, long>> CountInSnapshotAsync(NpgsqlConnection helper, CancellationToken cancellationToken)
    {
        await using var transaction = await helper.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using (var join = new NpgsqlCommand($"SET TRANSACTION READ ONLY; SET TRANSACTION SNAPSHOT '{Id.Replace("'", "''", StringComparison.Ordinal)}'", helper, transaction))
        {
            await join.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var counts = await RowCounter.CountAsync(helper, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        // Released as soon as the dump ends, and again (harmlessly) on the way out.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await _transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The connection is closing anyway; the snapshot ends with it.
        }

        await _transaction.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
