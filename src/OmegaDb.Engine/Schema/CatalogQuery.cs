using Npgsql;

namespace OmegaDb.Schema;

/// <summary>One catalog query of a batch and what to do with each of its rows.</summary>
internal sealed record CatalogQuery(NpgsqlBatchCommand Command, Action<NpgsqlDataReader> ReadRow)
{
    /// <summary>
    /// Runs the queries as one batch, one round trip, after <paramref name="prefix"/>: commands
    /// that return no rows (SET ...), which Npgsql skips when moving between results.
    /// </summary>
    /// <param name="prepare">Keep the batch prepared on the connection, for a connection that runs it again and again.</param>
    /// <param name="suffix">Commands to run after the queries in the same round trip; their results, if any, are not read.</param>
    public static async Task RunAsync(NpgsqlConnection connection, IEnumerable<NpgsqlBatchCommand> prefix, IReadOnlyList<CatalogQuery> queries, CancellationToken cancellationToken,
        bool prepare = false, IEnumerable<NpgsqlBatchCommand>? suffix = null)
    {
        await using var batch = CatalogBatch.Create(connection, [.. prefix, .. queries.Select(q => q.Command), .. suffix ?? []]);
        if (prepare)
        {
            await batch.PrepareAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < queries.Count; i++)
        {
            if (i > 0)
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            }

            var read = queries[i].ReadRow;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                read(reader);
            }
        }
    }
}
