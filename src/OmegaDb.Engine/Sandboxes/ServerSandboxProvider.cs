using System.Security.Cryptography;
using Npgsql;
using OmegaDb.Connections;

namespace OmegaDb.Sandboxes;

/// <summary>
/// A scratch database <c>omega_sandbox_&lt;random&gt;</c> on a server the user already has,
/// for teams whose test environment is a hosted instance. The credentials are those of the
/// server connection; nothing is stored beside the marker.
/// </summary>
internal sealed class ServerSandboxProvider : ISandboxProvider
{
    public const string ServerRequiredErrorId = "OmegaDb.SandboxServerRequired";
    public const string CredentialsRequiredErrorId = "OmegaDb.SandboxCredentialsRequired";

    public SandboxEngine Engine => SandboxEngine.Server;

    public async Task<OmegaSandbox> CreateAsync(SandboxRequest request, SandboxMarker marker, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var server = request.Server ?? throw new OmegaException(ServerRequiredErrorId, OmegaErrorCategory.InvalidArgument,
            "The Server engine makes a scratch database on an existing server: pass -Server <database> (from Connect-OmegaDatabase).");
        if (server.IsProduction)
        {
            throw new OmegaException("OmegaDb.SandboxOnProduction", OmegaErrorCategory.SecurityError,
                $"'{server.Name}' is marked Production; OmegaDb does not create sandboxes on a production server. Use a test server, or -Engine Local.", server);
        }

        var database = "omega_sandbox_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        marker = marker with
        {
            Host = server.Host,
            Port = server.Port,
            User = server.User,
            Database = database,
            ServerDatabase = server.Database,
            ServerVersion = server.ServerVersion,
        };
        marker.Write();
        await using (var connection = await DatabaseConnector.OpenAsync(server, cancellationToken, pooling: false).ConfigureAwait(false))
        {
            if (request.TemplateDatabase is { } template && await TryCloneAsync(connection, database, template, progress, cancellationToken).ConfigureAwait(false))
            {
                marker = marker with { Template = template };
                marker.Write();
            }
            else
            {
                progress.Report($"CREATE DATABASE {database} on {server.Host}:{server.Port}");
                await using var create = new NpgsqlCommand($"CREATE DATABASE {Quoted(database)}", connection);
                try
                {
                    await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException ex) when (ex.SqlState == "42501")
                {
                    throw new OmegaException("OmegaDb.CreateDatabaseDenied", OmegaErrorCategory.PermissionDenied,
                        $"User '{server.User}' may not create databases on {server.Host}:{server.Port}. Grant it CREATEDB (ALTER ROLE {server.User} CREATEDB) or use another engine.", server, ex);
                }
            }
        }

        var sandbox = new OmegaSandbox(server.SettingsFor(database), marker) { IsOwned = true };
        await DatabaseConnector.CheckAsync(sandbox, cancellationToken).ConfigureAwait(false);
        return sandbox;
    }

    /// <summary>
    /// CREATE DATABASE ... TEMPLATE: a file-level copy on the server, far faster than a dump.
    /// PostgreSQL allows it only while nobody else is connected to the template, and only to a
    /// superuser or the template's owner unless it is marked as a template; when it refuses,
    /// the caller falls back to an empty database and a restore, and the reason is reported.
    /// </summary>
    private static async Task<bool> TryCloneAsync(NpgsqlConnection connection, string database, string template, IProgress<string> progress, CancellationToken cancellationToken)
    {
        progress.Report($"CREATE DATABASE {database} TEMPLATE {template}");
        await using var clone = new NpgsqlCommand($"CREATE DATABASE {Quoted(database)} TEMPLATE {Quoted(template)}", connection);
        try
        {
            await clone.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState is "55006" or "42501" or "3D000")
        {
            var reason = ex.SqlState switch
            {
                "55006" => $"other sessions are connected to {template} ({ex.Detail ?? ex.MessageText})",
                "42501" => $"this user may not clone {template} (it needs to be a superuser or the owner of {template}, or {template} must be marked IS_TEMPLATE)",
                _ => $"{template} no longer exists",
            };
            progress.Report($"could not copy {template} as a template: {reason}; restoring a dump instead");
            return false;
        }
    }

    // Always quoted: a database may be named like a keyword.
    internal static string Quoted(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public async Task RemoveAsync(SandboxMarker marker, OmegaDatabase? credentials, IProgress<string> progress, CancellationToken cancellationToken)
    {
        if (marker.Database.Length == 0)
        {
            // Refused before a database was named: only the marker's directory exists.
            LocalSandboxProvider.DeleteDirectory(marker.Directory);
            return;
        }

        if (credentials is null)
        {
            throw new OmegaException(CredentialsRequiredErrorId, OmegaErrorCategory.AuthenticationError,
                $"The sandbox database '{marker.Database}' on {marker.Host}:{marker.Port} was made by another session, so this one lacks its password. Pass -Server with a connection to that server to drop it.", marker.Id);
        }

        // The marker says where the database is; the caller only lends user and password, so a
        // -Server pointing elsewhere can never drop a same-named database on another server.
        var adminSettings = credentials.SettingsFor(marker.ServerDatabase ?? "postgres") with { Hosts = [new HostEndpoint(marker.Host, marker.Port)] };
        var admin = new OmegaDatabase(adminSettings, environment: credentials.Environment);
        progress.Report($"DROP DATABASE {marker.Database} on {marker.Host}:{marker.Port}");
        await using (var connection = await DatabaseConnector.OpenAsync(admin, cancellationToken, pooling: false).ConfigureAwait(false))
        {
            // Our own pooled connections to the sandbox would otherwise block the drop.
            NpgsqlConnection.ClearPool(new NpgsqlConnection(NpgsqlConnectionStrings.For(new OmegaDatabase(adminSettings with { Database = marker.Database }))));
            var force = connection.PostgreSqlVersion.Major >= 13 ? " WITH (FORCE)" : string.Empty;
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{marker.Database}\"{force}", connection);
            await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        LocalSandboxProvider.DeleteDirectory(marker.Directory);
    }

    // Without credentials the database cannot be checked; the marker stands for it.
    public bool IsRunning(SandboxMarker marker) => true;
}
