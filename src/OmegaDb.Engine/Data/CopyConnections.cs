using System.Net.Sockets;
using Npgsql;
using OmegaDb.Connections;

namespace OmegaDb.Data;

/// <summary>
/// Connections for streaming COPY: unpooled (the session's temporary tables and settings end
/// with it) and with large socket buffers, since COPY data passes through Npgsql's buffers
/// and the default 8 kB means many small reads and writes per megabyte.
/// </summary>
internal static class CopyConnections
{
    private const int BufferSize = 256 * 1024;

    public static async Task<NpgsqlConnection> OpenAsync(OmegaDatabase database, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(NpgsqlConnectionStrings.For(database, pooling: false))
        {
            ReadBufferSize = BufferSize,
            WriteBufferSize = BufferSize,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            database.ServerVersion ??= connection.PostgreSqlVersion.ToString();
            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or SocketException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw DatabaseConnector.Translate(ex, database);
        }
    }
}
