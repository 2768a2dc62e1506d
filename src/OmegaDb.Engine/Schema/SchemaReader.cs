using System.Data;
using Npgsql;
using OmegaDb.Connections;

namespace OmegaDb.Schema;

/// <summary>
/// Reads a database's schema into an <see cref="OmegaSchema"/>: tables (columns, constraints,
/// indexes, triggers), views and materialized views, sequences, types, functions and
/// extensions, leaving out system schemas, objects that belong to an extension, and
/// <see cref="SchemaReadOptions.ExcludedSchemas"/>.
/// </summary>
/// <remarks>
/// <para>A fixed set of catalog queries, one per kind of object, whatever the size of the
/// schema, in two round trips. Everything is read from one snapshot, with search_path empty
/// so that PostgreSQL's deparsers qualify every name outside pg_catalog: the result does not
/// depend on the caller's search_path.</para>
/// <para>With a <see cref="SchemaReadOptions.Tables"/> filter only the matching tables,
/// views, materialized views and sequences are read; <see cref="OmegaSchema.Types"/>,
/// <see cref="OmegaSchema.Functions"/> and <see cref="OmegaSchema.Extensions"/> stay empty
/// and <see cref="OmegaSchema.Schemas"/> lists only the schemas of the captured relations.</para>
/// </remarks>
public static class SchemaReader
{
    public const string ReadFailedErrorId = "OmegaDb.SchemaReadFailed";

    /// <summary>
    /// The part of the tables whose constraints and indexes the second connection reads. The
    /// first connection also reads columns, views, types and functions, which cost the
    /// server about a third of what the keys cost, so the second takes the larger share.
    /// </summary>
    private const double HelperShare = 0.7;

    /// <summary>
    /// Reads in a REPEATABLE READ, READ ONLY transaction of its own. Constraints and indexes,
    /// the costliest part for the server, are read for most tables at the same time on a
    /// second connection that imports the first one's snapshot; when that connection cannot
    /// be had, everything is read on the first.
    /// </summary>
    public static async Task<OmegaSchema> ReadAsync(OmegaDatabase database, SchemaReadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        options ??= SchemaReadOptions.Default;
        var scope = new SchemaScope(options);

        await using var connection = await DatabaseConnector.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        // The second connection opens while the first one lists the catalog; only once the
        // first is open, so that under a connection limit it is the second that goes without.
        var helperOpening = TryOpenAsync(database, cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            var listing = await CatalogListing.ReadAsync(connection, [CatalogBatch.Command(CatalogQueries.ReadOnly)], exportSnapshot: true, cancellationToken).ConfigureAwait(false);
            scope.Select(listing.Namespaces, listing.Relations);
            var details = new CatalogDetails(scope);

            var helper = await helperOpening.ConfigureAwait(false);
            if (helper is null || listing.Snapshot is null)
            {
                await CatalogQuery.RunAsync(connection, [], [.. details.ObjectQueries(), .. details.KeyQueries(scope.AllRelations)], cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ReadSharingSnapshotAsync(connection, helper, listing.Snapshot, scope, details, cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return Snapshot(listing, scope, details, options, database);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw Translate(ex, database.Database, database.User, database);
        }
        finally
        {
            var helper = await helperOpening.ConfigureAwait(false);
            if (helper is not null)
            {
                await helper.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Reads on a connection the caller owns. Outside a transaction it opens (and commits)
    /// a REPEATABLE READ, READ ONLY one of its own. Inside the caller's transaction it reads
    /// what that transaction sees, uncommitted DDL included, under a savepoint: it never
    /// commits or rolls back the caller's transaction, leaves it usable even when the read
    /// fails, and puts search_path back as it found it.
    /// </summary>
    public static async Task<OmegaSchema> ReadAsync(NpgsqlConnection connection, OmegaDatabase? database, SchemaReadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        options ??= SchemaReadOptions.Default;
        if (connection.State != ConnectionState.Open)
        {
            throw new ArgumentException("The connection must be open.", nameof(connection));
        }

        var scope = new SchemaScope(options);
        var ownTransaction = await TryBeginAsync(connection, cancellationToken).ConfigureAwait(false);
        try
        {
            // In our own transaction search_path comes back by itself at commit; in the
            // caller's it is set back explicitly, and the savepoint undoes it on failure.
            var prefix = CatalogBatch.Command(ownTransaction is null ? CatalogQueries.Savepoint : CatalogQueries.ReadOnly);
            var listing = await CatalogListing.ReadAsync(connection, [prefix], exportSnapshot: false, cancellationToken).ConfigureAwait(false);
            scope.Select(listing.Namespaces, listing.Relations);
            var details = new CatalogDetails(scope);
            await CatalogQuery.RunAsync(connection, [], [.. details.ObjectQueries(), .. details.KeyQueries(scope.AllRelations)], cancellationToken).ConfigureAwait(false);

            if (ownTransaction is null)
            {
                await using var restore = CatalogBatch.Create(connection,
                    CatalogBatch.Command(CatalogQueries.RestoreSearchPath, listing.SearchPath),
                    CatalogBatch.Command(CatalogQueries.ReleaseSavepoint));
                await restore.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ownTransaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return Snapshot(listing, scope, details, options, database);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            if (ownTransaction is null)
            {
                await RollbackToSavepointAsync(connection).ConfigureAwait(false);
            }

            throw Translate(ex, connection.Database, connection.UserName, database);
        }
        catch (OperationCanceledException) when (ownTransaction is null)
        {
            await RollbackToSavepointAsync(connection).ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Everything on the first connection but the keys of a share of the tables, which the
    /// second reads at the same time in a transaction that imports the first one's snapshot.
    /// </summary>
    private static async Task ReadSharingSnapshotAsync(NpgsqlConnection connection, NpgsqlConnection helper, string snapshot,
        SchemaScope scope, CatalogDetails details, CancellationToken cancellationToken)
    {
        await using var helperTransaction = await helper.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        NpgsqlBatchCommand[] join =
        [
            CatalogBatch.Command(CatalogQueries.ReadOnly),
            CatalogBatch.Command(CatalogQueries.ImportSnapshot(snapshot)),
            CatalogBatch.Command(CatalogQueries.ClearSearchPathLocally),
        ];
        var (primaryShare, helperShare) = scope.SplitRelations(HelperShare);
        await BothAsync(
            CatalogQuery.RunAsync(connection, [], [.. details.ObjectQueries(), .. details.KeyQueries(primaryShare)], cancellationToken),
            CatalogQuery.RunAsync(helper, join, details.KeyQueries(helperShare), cancellationToken)).ConfigureAwait(false);
        await helperTransaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static OmegaSchema Snapshot(CatalogListing listing, SchemaScope scope, CatalogDetails details, SchemaReadOptions options, OmegaDatabase? database)
    {
        details.Assemble();
        var schema = new OmegaSchema
        {
            DatabaseName = listing.DatabaseName,
            CapturedAt = DateTimeOffset.UtcNow,
            ServerVersion = listing.ServerVersion.Split(' ')[0],
            // PowerShell may hand over a null list where C# callers cannot.
            SchemaFilter = options.Schemas?.ToArray() ?? [],
            TableFilter = options.Tables?.ToArray() ?? [],
            Schemas = scope.SchemaNames,
            Tables = details.Tables,
            Views = details.Views,
            Sequences = details.Sequences,
            Types = details.Types,
            Functions = details.Functions,
            Extensions = details.Extensions,
        };
        return SchemaFingerprint.Stamp(schema.WithDatabase(database));
    }

    /// <summary>A second connection, or null when the server will not give one (connection limit, pooler).</summary>
    private static async Task<NpgsqlConnection?> TryOpenAsync(OmegaDatabase database, CancellationToken cancellationToken)
    {
        try
        {
            return await DatabaseConnector.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OmegaException or OperationCanceledException)
        {
            // The first connection reports whatever is really wrong with the database.
            return null;
        }
    }

    /// <summary>Waits for both reads; when one fails, its error is the one reported, not the other's.</summary>
    private static async Task BothAsync(Task first, Task second)
    {
        try
        {
            await Task.WhenAll(first, second).ConfigureAwait(false);
        }
        catch
        {
            var failed = new[] { first, second }.FirstOrDefault(t => t.IsFaulted && t.Exception!.InnerException is not OperationCanceledException)
                         ?? (first.IsFaulted || first.IsCanceled ? first : second);
            await failed.ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Our own transaction, or null when the caller already has one open on this connection.</summary>
    private static async Task<NpgsqlTransaction?> TryBeginAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Npgsql refuses to nest transactions; it knows from the server's own status that
            // one is open, whether the caller began it through Npgsql or with a BEGIN statement.
            return null;
        }
    }

    /// <summary>Best effort: after a failure inside the caller's transaction, undo our part and leave it usable.</summary>
    private static async Task RollbackToSavepointAsync(NpgsqlConnection connection)
    {
        if (connection.State != ConnectionState.Open)
        {
            return;
        }

        try
        {
            await using var command = new NpgsqlCommand(CatalogQueries.RollbackToSavepoint, connection);
            await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // The connection is gone or the savepoint never existed; the first error is the one to report.
        }
    }

    /// <summary>Failures to connect were translated by <see cref="DatabaseConnector"/>; these happen while reading.</summary>
    private static OmegaException Translate(Exception ex, string databaseName, string? user, OmegaDatabase? database) => ex switch
    {
        PostgresException { SqlState: "42501" } pg => new OmegaException(DatabaseConnector.PermissionDeniedErrorId, OmegaErrorCategory.PermissionDenied,
            SecretScrubber.Scrub($"Cannot read the schema of database '{databaseName}': {pg.MessageText}. The role '{user}' must be able to read " +
                                 "the system catalogs (pg_catalog): restore their default grants, or connect as a role that has them."), database, ex),
        PostgresException { SqlState: "25P02" } pg => new OmegaException(ReadFailedErrorId, OmegaErrorCategory.InvalidOperation,
            $"Cannot read the schema: the transaction open on this connection has already failed ({pg.MessageText}). Roll it back first.", database, ex),
        _ => ErrorTranslation.ToOmegaException(ex, database),
    };
}
