using Npgsql;

namespace OmegaDb.Schema;

/// <summary>
/// The schema after a migration, inside the migration's own transaction, reading again only
/// the relations the migration touched. PostgreSQL takes a lock on every relation whose
/// definition changes (and on every one it creates or drops), so the relations the
/// transaction holds locks on, plus any the earlier snapshot lacks, are all that can differ;
/// the rest is taken from the earlier snapshot. Schemas, types, functions and extensions,
/// which take no relation lock, are always read in full. The caller decides when this is
/// safe: statements that rename or move objects, or drop with CASCADE, change the printed
/// text of relations they do not lock, and need <see cref="SchemaReader"/>'s full read.
/// </summary>
internal static class IncrementalSchemaReader
{
    public static async Task<OmegaSchema> ReadAsync(NpgsqlConnection connection, OmegaDatabase? database, SchemaReadOptions options,
        OmegaSchema previous, IReadOnlySet<string> touched, CancellationToken cancellationToken)
    {
        var all = new SchemaScope(options);
        var reread = new SchemaScope(options);
        CatalogListing listing;
        CatalogDetails details;
        try
        {
            // Inside the caller's transaction: a savepoint, so that a failure leaves it usable.
            listing = await CatalogListing.ReadAsync(connection, [CatalogBatch.Command(CatalogQueries.Savepoint)], exportSnapshot: false,
                cancellationToken).ConfigureAwait(false);
            all.Select(listing.Namespaces, listing.Relations);
            var known = new HashSet<string>(previous.Tables.Select(t => t.FullName)
                .Concat(previous.Views.Select(v => v.FullName))
                .Concat(previous.Sequences.Select(s => s.FullName)), StringComparer.Ordinal);
            reread.Select(listing.Namespaces, all.Relations.Values.Where(r => touched.Contains(r.FullName) || !known.Contains(r.FullName)));
            details = new CatalogDetails(reread);
            await CatalogQuery.RunAsync(connection, [], [.. details.ObjectQueries(), .. details.KeyQueries(reread.AllRelations)], cancellationToken)
                .ConfigureAwait(false);
            await using var restore = CatalogBatch.Create(connection,
                CatalogBatch.Command(CatalogQueries.RestoreSearchPath, listing.SearchPath),
                CatalogBatch.Command(CatalogQueries.ReleaseSavepoint));
            await restore.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            await using var rollback = new NpgsqlCommand(CatalogQueries.RollbackToSavepoint, connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        details.Assemble();
        var current = all.Relations.Values.Select(r => r.FullName).ToHashSet(StringComparer.Ordinal);
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
            Types = details.Types,
            Functions = details.Functions,
            Extensions = details.Extensions,
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
