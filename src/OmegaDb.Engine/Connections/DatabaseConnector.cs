using System.Net.Sockets;
using Npgsql;

namespace OmegaDb.Connections;

/// <summary>
/// Opens connections for the rest of the engine and turns Npgsql's failures into errors a
/// user can act on. Everything that talks to a server goes through here.
/// </summary>
public static class DatabaseConnector
{
    public const string ConnectionFailedErrorId = "OmegaDb.ConnectionFailed";
    public const string AuthenticationFailedErrorId = "OmegaDb.AuthenticationFailed";
    public const string DatabaseNotFoundErrorId = "OmegaDb.DatabaseNotFound";
    public const string PermissionDeniedErrorId = "OmegaDb.PermissionDenied";
    public const string ConnectionTimeoutErrorId = "OmegaDb.ConnectionTimeout";

    public static OmegaDatabase Create(string? connectionString, string? user = null, string? password = null,
        string? name = null, string? environment = null, Func<string, string?>? getEnv = null)
    {
        var settings = new ConnectionResolver(getEnv).Resolve(connectionString, user, password);
        return new OmegaDatabase(settings, name, environment);
    }

    public static async Task<NpgsqlConnection> OpenAsync(OmegaDatabase database, CancellationToken cancellationToken, bool pooling = true)
    {
        var connection = new NpgsqlConnection(NpgsqlConnectionStrings.For(database, pooling));
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            database.ServerVersion ??= connection.PostgreSqlVersion.ToString();
            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or SocketException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw Translate(ex, database);
        }
    }

    /// <summary>Opens one connection to prove the database answers, and records its version.</summary>
    public static async Task<OmegaDatabase> CheckAsync(OmegaDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(database, cancellationToken, pooling: false).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SHOW server_version", connection);
        var version = (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        database.ServerVersion = version?.Split(' ')[0] ?? connection.PostgreSqlVersion.ToString();
        return database;
    }

    /// <summary>Maps a connection failure to a stable error id, a category and a next step.</summary>
    public static OmegaException Translate(Exception ex, OmegaDatabase database)
    {
        return ex switch
        {
            PostgresException { SqlState: "28P01" or "28000" } pg => new OmegaException(AuthenticationFailedErrorId, OmegaErrorCategory.AuthenticationError,
                $"The server refused the credentials for user '{database.User}' ({pg.MessageText}). Check the user name and password, or the server's pg_hba.conf.", database, ex),
            PostgresException { SqlState: "3D000" } => new OmegaException(DatabaseNotFoundErrorId, OmegaErrorCategory.ObjectNotFound,
                $"The database '{database.Database}' does not exist on {database.Host}:{database.Port}. Create it, or connect to an existing database.", database, ex),
            PostgresException { SqlState: "42501" } pg => new OmegaException(PermissionDeniedErrorId, OmegaErrorCategory.PermissionDenied,
                $"Permission denied for user '{database.User}': {pg.MessageText}. Ask for CONNECT on the database, or use a role that has it.", database, ex),
            PostgresException pg => new OmegaException(ConnectionFailedErrorId, OmegaErrorCategory.ConnectionError,
                $"The server refused the connection: {pg.SqlState}: {pg.MessageText}", database, ex),
            TimeoutException or NpgsqlException { InnerException: TimeoutException } => new OmegaException(ConnectionTimeoutErrorId, OmegaErrorCategory.OperationTimeout,
                $"Timed out connecting to {database.Host}:{database.Port}. Check that the host is reachable, or raise connect_timeout.", database, ex),
            NpgsqlException { Message: var m } when m.Contains("password", StringComparison.OrdinalIgnoreCase) => new OmegaException(AuthenticationFailedErrorId, OmegaErrorCategory.AuthenticationError,
                $"The server asks for a password for user '{database.User}' and none was given. Put it in the URI, -Credential, PGPASSWORD or a password file.", database, ex),
            _ => new OmegaException(ConnectionFailedErrorId, OmegaErrorCategory.ConnectionError,
                $"Could not connect to {database.Host}:{database.Port}: {Innermost(ex).Message} Check that the server is running and accepts connections there.", database, ex),
        };
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }
}
