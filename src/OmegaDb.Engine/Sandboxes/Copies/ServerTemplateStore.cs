using System.Security.Cryptography;
using Npgsql;
using OmegaDb.Connections;

namespace OmegaDb.Sandboxes;

/// <summary>
/// The Server engine's cache of schema templates: a database <c>omega_tpl_&lt;source key&gt;_&lt;fingerprint key&gt;</c>
/// on the sandbox server, cloned from a freshly restored sandbox, marked IS_TEMPLATE and closed
/// to connections (so nobody changes it, and no session blocks the next clone). Its name is
/// the cache key; it is made under a temporary name and renamed, so a half-made template is
/// never used, and two sessions racing leave one.
/// </summary>
internal static class ServerTemplateStore
{
    public const string Prefix = "omega_tpl_";

    public static string NameFor(SourceIdentity source, string fingerprint) =>
        $"{Prefix}{source.Key}_{SourceIdentity.FingerprintKey(fingerprint)}";

    public static async Task<bool> ExistsAsync(OmegaDatabase server, string name, CancellationToken cancellationToken)
    {
        await using var connection = await DatabaseConnector.OpenAsync(server, cancellationToken, pooling: false).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_catalog.pg_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", name);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0;
    }

    /// <summary>
    /// Clones <paramref name="sandbox"/> (which nobody may be connected to) into the template
    /// for this source and schema, then drops the source's older templates.
    /// </summary>
    public static async Task WriteAsync(OmegaDatabase server, OmegaSandbox sandbox, SourceIdentity source, string sourceUri, string fingerprint, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var name = NameFor(source, fingerprint);
        var temporary = $"{Prefix}tmp_{Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant()}";
        // A pooled connection of ours to the sandbox would make the clone fail as "in use".
        NpgsqlConnection.ClearPool(new NpgsqlConnection(NpgsqlConnectionStrings.For(sandbox)));
        await using var connection = await DatabaseConnector.OpenAsync(server, cancellationToken, pooling: false).ConfigureAwait(false);
        progress.Report($"saving the schema as the template database {name}");
        try
        {
            await ExecuteAsync(connection, $"CREATE DATABASE {ServerSandboxProvider.Quoted(temporary)} TEMPLATE {ServerSandboxProvider.Quoted(sandbox.Database)}", cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState is "55006" or "42501")
        {
            progress.Report($"no template saved: {ex.MessageText}");
            return;
        }

        try
        {
            await ExecuteAsync(connection, $"COMMENT ON DATABASE {ServerSandboxProvider.Quoted(temporary)} IS {Literal($"OmegaDb template: schema of {sourceUri}, fingerprint {fingerprint}. New-OmegaSandbox -From clones it; drop it to free the space.")}", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"ALTER DATABASE {ServerSandboxProvider.Quoted(temporary)} RENAME TO {ServerSandboxProvider.Quoted(name)}", cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == "42P04")
        {
            // Another session saved the same template first.
            await DropAsync(connection, temporary, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch
        {
            await DropAsync(connection, temporary, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        try
        {
            // Closed to connections: nothing drifts from the schema its name promises.
            await ExecuteAsync(connection, $"ALTER DATABASE {ServerSandboxProvider.Quoted(name)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false", cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == "42501")
        {
            // As its owner we can still clone it; only superusers may set the flags on some versions.
            progress.Report($"template {name} left unmarked: {ex.MessageText}");
        }

        await using var stale = new NpgsqlCommand("SELECT datname FROM pg_catalog.pg_database WHERE starts_with(datname, @prefix) AND datname <> @name", connection);
        stale.Parameters.AddWithValue("prefix", $"{Prefix}{source.Key}_");
        stale.Parameters.AddWithValue("name", name);
        var outdated = new List<string>();
        await using (var reader = await stale.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                outdated.Add(reader.GetString(0));
            }
        }

        foreach (var old in outdated)
        {
            progress.Report($"dropping the outdated template database {old}");
            await DropAsync(connection, old, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task DropAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        try
        {
            // A template database cannot be dropped until it is no longer one.
            await ExecuteAsync(connection, $"ALTER DATABASE {ServerSandboxProvider.Quoted(name)} WITH IS_TEMPLATE false", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS {ServerSandboxProvider.Quoted(name)}", cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException)
        {
            // Being cloned right now by another session, or not ours to drop: the next save retries.
        }
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
