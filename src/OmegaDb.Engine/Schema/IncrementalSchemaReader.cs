using Npgsql;

namespace OmegaDb.Schema;

/// <summary>
/// What an incremental read reads again. <see cref="Touched"/>: the relations the transaction
/// holds locks on. <see cref="ListedRelations"/>: when the caller knows no relation was
/// dropped, the oids of those locked relations, so that only they are listed instead of every
/// relation of the database. <see cref="Routines"/>: false when no statement can have changed
/// a type, function or extension, which are then taken from the earlier snapshot.
/// </summary>
internal sealed record IncrementalScope(IReadOnlySet<string> Touched)
{
    public uint[]? ListedRelations { get; init; }

    public bool Routines { get; init; } = true;
}

/// <summary>
/// The schema after a migration, inside the migration's own transaction, reading again only
/// the relations the migration touched. PostgreSQL takes a lock on every relation whose
/// definition changes (and on every one it creates or drops), so the relations the
/// transaction holds locks on, plus any the earlier snapshot lacks, are all that can differ;
/// the rest is taken from the earlier snapshot, the very same objects, so that comparing and
/// fingerprinting them again costs nothing. Schemas are always read in full; types, functions
/// and extensions, which take no relation lock, unless the scope says they cannot have
/// changed. The caller decides when this is safe: statements that rename or move objects, or
/// drop with CASCADE, change the printed text of relations they do not lock, and need
/// <see cref="SchemaReader"/>'s full read.
/// </summary>
internal static class IncrementalSchemaReader
{
    public static Task<OmegaSchema> ReadAsync(NpgsqlConnection connection, OmegaDatabase? database, SchemaReadOptions options,
        OmegaSchema previous, IReadOnlySet<string> touched, CancellationToken cancellationToken) =>
        ReadAsync(connection, database, options, previous, new IncrementalScope(touched), cancellationToken);

    /// <param name="along">
    /// Commands without results to run in the read's first round trip, inside its savepoint (so
    /// that a failing read leaves the transaction as it found it): the migration's history row.
    /// </param>
    public static async Task<OmegaSchema> ReadAsync(NpgsqlConnection connection, OmegaDatabase? database, SchemaReadOptions options,
        OmegaSchema previous, IncrementalScope scope, CancellationToken cancellationToken, IEnumerable<NpgsqlBatchCommand>? along = null)
    {
        var all = new SchemaScope(options);
        var reread = new SchemaScope(options);
        var known = new HashSet<string>(previous.Tables.Select(t => t.FullName)
            .Concat(previous.Views.Select(v => v.FullName))
            .Concat(previous.Sequences.Select(s => s.FullName)), StringComparer.Ordinal);
        CatalogListing listing;
        CatalogDetails details;
        try
        {
            // Inside the caller's transaction: a savepoint, so that a failure leaves it usable.
            // Prepared, since the same connection reads again after every migration of a run.
            listing = await CatalogListing.ReadAsync(connection,
                [CatalogBatch.Command(CatalogQueries.Savepoint), .. along ?? [], CatalogBatch.Command(CatalogQueries.SettingsSavepoint), CatalogBatch.Command(CatalogQueries.GenericPlans)],
                exportSnapshot: false, cancellationToken, prepare: true, onlyRelations: scope.ListedRelations).ConfigureAwait(false);
            all.Select(listing.Namespaces, listing.Relations);
            reread.Select(listing.Namespaces, all.Relations.Values.Where(r => scope.Touched.Contains(r.FullName) || !known.Contains(r.FullName)));
            details = new CatalogDetails(reread);
            // The settings go back (search_path, plan_cache_mode) and the savepoints are released in the same round trip.
            await CatalogQuery.RunAsync(connection, [], [.. details.ObjectQueries(scope.Routines), .. details.KeyQueries(reread.AllRelations)],
                cancellationToken, prepare: true,
                suffix: [CatalogBatch.Command(CatalogQueries.RollbackToSettingsSavepoint), CatalogBatch.Command(CatalogQueries.ReleaseSettingsSavepoint), CatalogBatch.Command(CatalogQueries.ReleaseSavepoint)])
                .ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            await using var rollback = new NpgsqlCommand(CatalogQueries.RollbackToSavepoint, connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        details.Assemble();
        // A listing of the locked relations only says nothing of the others: they all still
        // exist, since the caller ruled out drops.
        var current = all.Relations.Values.Select(r => r.FullName).ToHashSet(StringComparer.Ordinal);
        if (scope.ListedRelations is not null)
        {
            current.UnionWith(known);
        }

        var fresh = reread.Relations.Values.Select(r => r.FullName).ToHashSet(StringComparer.Ordinal);
        var schema = new OmegaSchema
        {
            DatabaseName = listing.DatabaseName,
            CapturedAt = DateTimeOffset.UtcNow,
            ServerVersion = listing.ServerVersion.Split(' ')[0],
            SchemaFilter = options.Schemas?.ToArray() ?? [],
            TableFilter = options.Tables?.ToArray() ?? [],
            Schemas = reread.SchemaNames,
            Tables = Merge(previous.Tables, details.Tables, t => t.FullName, t => t.Schema, t => t.Name, current, fresh),
            Views = Merge(previous.Views, details.Views, v => v.FullName, v => v.Schema, v => v.Name, current, fresh),
            Sequences = Merge(previous.Sequences, details.Sequences, s => s.FullName, s => s.Schema, s => s.Name, current, fresh),
            Types = scope.Routines ? details.Types : previous.Types,
            Functions = scope.Routines ? details.Functions : previous.Functions,
            Extensions = scope.Routines ? details.Extensions : previous.Extensions,
        };
        return SchemaFingerprint.Stamp(schema.WithDatabase(database));
    }

    /// <summary>Fresh items for what was read again, earlier ones for the rest that still exists; sorted as the reader sorts.</summary>
    private static IReadOnlyList<T> Merge<T>(IReadOnlyList<T> previous, IReadOnlyList<T> fresh, Func<T, string> fullName,
        Func<T, string> schema, Func<T, string> name, HashSet<string> current, HashSet<string> reread) =>
        previous.Where(p => current.Contains(fullName(p)) && !reread.Contains(fullName(p)))
            .Concat(fresh)
            .OrderBy(schema, StringComparer.Ordinal)
            .ThenBy(name, StringComparer.Ordinal)
            .ToList();
}
