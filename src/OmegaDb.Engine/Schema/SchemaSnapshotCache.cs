using System.Collections.Concurrent;
using Npgsql;

namespace OmegaDb.Schema;

/// <summary>
/// The last snapshot read of each database in this process, reused while the database's
/// <see cref="CatalogSignature"/> is unchanged: a dry run repeated on the same sandbox, or
/// a run after a status check, does not read thousands of tables again to learn that nothing
/// changed. A stale entry can only cause a miss: the signature is taken before the read it
/// is stored with, so a change in between makes the next signature differ.
/// </summary>
internal static class SchemaSnapshotCache
{
    private const int MaxEntries = 32;
    private static readonly ConcurrentDictionary<string, (string Signature, OmegaSchema Schema)> Entries = new();

    /// <summary>Reads outside any transaction on <paramref name="connection"/>, or returns the cached snapshot when nothing changed.</summary>
    public static async Task<OmegaSchema> ReadAsync(NpgsqlConnection connection, OmegaDatabase database, SchemaReadOptions options,
        CancellationToken cancellationToken) =>
        (await ReadWithSignatureAsync(connection, database, options, cancellationToken).ConfigureAwait(false)).Schema;

    /// <summary>As <see cref="ReadAsync"/>, with the catalog signature the snapshot goes with, for other caches keyed by it.</summary>
    public static async Task<(OmegaSchema Schema, string Signature)> ReadWithSignatureAsync(NpgsqlConnection connection, OmegaDatabase database,
        SchemaReadOptions options, CancellationToken cancellationToken)
    {
        var key = Key(database, options);
        var signature = await CatalogSignature.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
        if (Entries.TryGetValue(key, out var entry) && entry.Signature == signature)
        {
            return (entry.Schema.WithDatabase(database), signature);
        }

        var schema = await SchemaReader.ReadAsync(connection, database, options, cancellationToken).ConfigureAwait(false);
        if (Entries.Count >= MaxEntries)
        {
            Entries.Clear();
        }

        Entries[key] = (signature, schema);
        return (schema, signature);
    }

    private static string Key(OmegaDatabase database, SchemaReadOptions options) =>
        string.Join("\u001f", database.Host, database.Port, database.Database, database.User,
            string.Join(",", options.Schemas ?? []), string.Join(",", options.Tables ?? []), string.Join(",", options.ExcludedSchemas ?? []));
}
