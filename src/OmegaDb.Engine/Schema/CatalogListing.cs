using Npgsql;

namespace OmegaDb.Schema;

/// <summary>
/// The first round trip of a read: the session's settings, and the names of every schema and
/// relation that could be captured, for <see cref="SchemaScope"/> to filter.
/// </summary>
internal sealed class CatalogListing
{
    public required string SearchPath { get; init; }

    public required string ServerVersion { get; init; }

    public required string DatabaseName { get; init; }

    /// <summary>The exported snapshot a second connection can read in, when one was asked for.</summary>
    public string? Snapshot { get; init; }

    public required IReadOnlyList<(uint Oid, string Name)> Namespaces { get; init; }

    public required IReadOnlyList<CatalogRelation> Relations { get; init; }

    /// <summary>
    /// Runs <paramref name="prefix"/> (commands with no result set: SET, SAVEPOINT) first, then
    /// records search_path and clears it for the rest of the transaction.
    /// </summary>
    /// <param name="prepare">
    /// Keep the batch prepared on the connection: worth it when the same connection reads again
    /// and again (after each migration of a run), where planning the catalog queries would
    /// otherwise cost more than running them.
    /// </param>
    /// <param name="onlyRelations">List these relations only (those that exist), instead of every relation.</param>
    public static async Task<CatalogListing> ReadAsync(NpgsqlConnection connection, IEnumerable<NpgsqlBatchCommand> prefix, bool exportSnapshot, CancellationToken cancellationToken,
        bool prepare = false, uint[]? onlyRelations = null)
    {
        await using var batch = CatalogBatch.Create(connection, [
            .. prefix,
            CatalogBatch.Command(exportSnapshot ? CatalogQueries.SessionWithSnapshot : CatalogQueries.Session),
            CatalogBatch.Command(CatalogQueries.ClearSearchPath),
            CatalogBatch.Command(CatalogQueries.Namespaces),
            onlyRelations is null ? CatalogBatch.Command(CatalogQueries.Relations) : CatalogBatch.Command(CatalogQueries.RelationsAmong, onlyRelations),
        ]);
        if (prepare)
        {
            await batch.PrepareAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);

        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var searchPath = reader.GetString(0);
        var serverVersion = reader.GetString(1);
        var databaseName = reader.GetString(2);
        var snapshot = exportSnapshot ? reader.NullableString(3) : null;
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var namespaces = new List<(uint, string)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            namespaces.Add((reader.GetFieldValue<uint>(0), reader.GetString(1)));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var relations = new List<CatalogRelation>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            relations.Add(new CatalogRelation(reader.GetFieldValue<uint>(0), reader.GetString(1), reader.GetString(2), reader.GetChar(3)));
        }

        return new CatalogListing
        {
            SearchPath = searchPath, ServerVersion = serverVersion, DatabaseName = databaseName, Snapshot = snapshot,
            Namespaces = namespaces, Relations = relations,
        };
    }
}
