using OmegaDb.Connections;

namespace OmegaDb.Migrations;

/// <summary>Reads a database's migration history for a status report; no lock, no change.</summary>
public static class MigrationHistoryReader
{
    public static async Task<IReadOnlyList<HistoryEntry>> ReadAsync(OmegaDatabase database, HistoryTable history, CancellationToken cancellationToken)
    {
        await using var connection = await DatabaseConnector.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        return await history.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
    }
}
